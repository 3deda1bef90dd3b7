// The printable 成绩单's print button: a script file, since the pages' Content-Security-Policy
// runs no inline handler (onclick="...").

document.getElementById("print-sheet").addEventListener("click", () => window.print());
