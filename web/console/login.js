// The sign-in page's one message, from ?error= (the server redirects here on failure).
(function () {
  var messages = {
    wrong: "That name and password don't match.",
    locked: "Too many wrong passwords: this account is locked for a while. Ask an admin, or try later.",
  };
  var error = new URLSearchParams(location.search).get("error");
  if (messages[error]) {
    var box = document.getElementById("error");
    box.textContent = messages[error];
    box.hidden = false;
  }
})();
