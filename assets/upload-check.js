// A file chosen or dropped on "Add an article" is checked here first: a file of another type
// or over the size limit (which the upload box drops without a word) gets its one-line reason
// at once, and a file that will be sent says so while the server reads and compares it.
(function () {
    "use strict";

    function rules() {
        var el = document.getElementById("upload-rules");
        if (!el) return null;
        return {
            maxBytes: Number(el.getAttribute("data-max-bytes")) || 0,
            suffixes: (el.getAttribute("data-suffixes") || "").split(",").filter(Boolean),
        };
    }

    function say(text, className) {
        if (window.dash_clientside && window.dash_clientside.set_props) {
            window.dash_clientside.set_props("upload-message", {
                children: text,
                className: className,
            });
        }
    }

    function check(files) {
        var limits = rules();
        if (!limits || !files || !files.length) return;
        var file = files[0];
        var name = String(file.name || "the file").slice(0, 200);
        var lower = name.toLowerCase();
        var megabytes = Math.round(limits.maxBytes / (1024 * 1024));
        if (!limits.suffixes.some(function (s) { return lower.endsWith(s); })) {
            say("Not added: " + name + ": only " + limits.suffixes.join(" or ") +
                " files of wikitext can be added. Nothing else changed.", "notice bad");
        } else if (limits.maxBytes && file.size > limits.maxBytes) {
            say("Not added: " + name + ": larger than " + megabytes + " MB. Nothing else changed.",
                "notice bad");
        } else {
            say("Reading and comparing " + name + " (" + Math.max(1, Math.round(file.size / 1024)) +
                " KB)…", "notice");
        }
    }

    function inUpload(target) {
        return target && target.closest && target.closest("#upload");
    }

    document.addEventListener("change", function (event) {
        if (inUpload(event.target) && event.target.files) check(event.target.files);
    }, true);
    document.addEventListener("drop", function (event) {
        if (inUpload(event.target) && event.dataTransfer) check(event.dataTransfer.files);
    }, true);
})();
