// A date typed as people write it — 2024年3月5日, 2024/3/5, 2024.3.5 (with a time:
// 2024年3月5日 14:30) — is rewritten as 2024-03-05 in Wagtail's date and date-time
// pickers before the picker reads it. The picker (jQuery datetimepicker, format
// Y-m-d) otherwise turns what it cannot parse into another day on leaving the field
// (2024年3月5日 became 2024-01-01) or today's date. The server reads all of these
// forms too (config/formats/zh_Hans), for a page without this script.
// A value that is no real date (2024年13月45日, 2023/2/29, a typo) is left as typed
// and the picker never sees the event, so the server refuses it with its message
// instead of the picker silently putting another day (today, or 2025-02-14) there.
(() => {
  const DATE =
    /^\s*(\d{4})\s*[年/.\-－／．]\s*(\d{1,2})\s*[月/.\-－／．]\s*(\d{1,2})\s*[日号]?\s*(?:(\d{1,2})\s*[:：]\s*(\d{2}))?\s*$/;

  const pad = (number) => String(number).padStart(2, "0");

  function exists(year, month, day, hour, minute) {
    const date = new Date(Date.UTC(year, month - 1, day));
    return (
      date.getUTCFullYear() === Number(year) &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === Number(day) &&
      (hour === undefined || (Number(hour) < 24 && Number(minute) < 60))
    );
  }

  // Rewrites a real date as 2024-03-05; returns false for a value that is no
  // real date (left as typed), true otherwise (an empty field included).
  function normalise(input) {
    if (input.value.trim() === "") return true;
    const match = DATE.exec(input.value.normalize("NFKC"));
    if (!match) return false;
    const [, year, month, day, hour, minute] = match;
    if (!exists(year, month, day, hour, minute)) return false;
    let value = `${year}-${pad(month)}-${pad(day)}`;
    if (hour !== undefined) value += ` ${pad(hour)}:${minute}`;
    input.value = value;
    return true;
  }

  function handle(event) {
    if (isPicker(event.target) && !normalise(event.target)) {
      event.stopImmediatePropagation(); // the picker would put another day
    }
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
    document.addEventListener(name, handle, true);
  }
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Enter") handle(event);
    },
    true,
  );
})();
