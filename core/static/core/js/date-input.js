// A date typed as people write it — 2024年3月5日, 2024/3/5, 2024.3.5 (with a time:
// 2024年3月5日 14:30) — is rewritten as 2024-03-05 in Wagtail's date and date-time
// pickers before the picker reads it. The picker (jQuery datetimepicker, format
// Y-m-d) otherwise turns what it cannot parse into another day on leaving the field
// (2024年3月5日 became 2024-01-01) or today's date. The server reads all of these
// forms too (config/formats/zh_Hans), for a page without this script.
(() => {
  const DATE =
    /^\s*(\d{4})\s*[年/.\-－／．]\s*(\d{1,2})\s*[月/.\-－／．]\s*(\d{1,2})\s*[日号]?\s*(?:(\d{1,2})\s*[:：]\s*(\d{2}))?\s*$/;

  const pad = (number) => String(number).padStart(2, "0");

  function normalise(input) {
    const match = DATE.exec(input.value.normalize("NFKC"));
    if (!match) return;
    const [, year, month, day, hour, minute] = match;
    let value = `${year}-${pad(month)}-${pad(day)}`;
    if (hour !== undefined) value += ` ${pad(hour)}:${minute}`;
    input.value = value;
  }

  function isPicker(element) {
    return (
      element instanceof HTMLInputElement &&
      window.jQuery !== undefined &&
      window.jQuery(element).data("xdsoft_datetimepicker") !== undefined
    );
  }

  // Capturing on the document runs before the picker's own blur handler.
  for (const name of ["blur", "change"]) {
    document.addEventListener(
      name,
      (event) => {
        if (isPicker(event.target)) normalise(event.target);
      },
      true,
    );
  }
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Enter" && isPicker(event.target)) normalise(event.target);
    },
    true,
  );
})();
