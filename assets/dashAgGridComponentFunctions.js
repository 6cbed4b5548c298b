// Cell renderers of the claims grid. Values are placed as React text, never as HTML, and a
// link is only made for http(s) URLs; anything else (javascript:, data:, relative) is text.
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
  window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.SafeLink = function (props) {
  var value = props.value == null ? "" : String(props.value);
  if (!/^https?:\/\/[^\s]+$/i.test(value)) {
    return React.createElement("span", { className: "cell-text" }, value);
  }
  var label = props.colDef.field === "archive_url" ? "archive" : "open";
  return React.createElement(
    "a",
    { href: value, target: "_blank", rel: "noopener noreferrer nofollow", title: value },
    label
  );
};

dagcomponentfuncs.VerdictBadge = function (props) {
  var value = props.value == null ? "" : String(props.value);
  var known = ["agree", "conflict", "repeated", "updated", "single", "different_scope", "part_of"];
  var cls = known.indexOf(value) >= 0 ? value : "other";
  return React.createElement(
    "span",
    { className: "badge verdict-" + cls },
    value.replace("_", " ")
  );
};
