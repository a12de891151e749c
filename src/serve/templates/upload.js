// Upload page: files can be dropped anywhere on the drop zone, their
// names are listed before sending, and the button says it is working.
// Without this script the plain file input and button still work.
(function () {
  var zone = document.getElementById("drop");
  var input = document.getElementById("files");
  var list = document.getElementById("chosen");
  var form = zone && zone.closest("form");
  if (!zone || !input || !list || !form) return;
  function show() {
    list.textContent = "";
    for (var i = 0; i < input.files.length; i++) {
      var li = document.createElement("li");
      var f = input.files[i];
      li.textContent = f.name + "（" + Math.max(1, Math.round(f.size / 1024)) + " KB）";
      list.appendChild(li);
    }
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
      button.textContent = "正在上传并检查…";
    }
  });
})();
