import Hummingbird

/// The UI's one stylesheet and one script, served by Hookline itself: no CDN, no build step.
enum Assets {
    static func addRoutes(to group: RouterGroup<HooklineRequestContext>) {
        group.get("hookline.css") { _, _ in asset(css, type: "text/css; charset=utf-8") }
        group.get("hookline.js") { _, _ in asset(javaScript, type: "text/javascript; charset=utf-8") }
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let css = """
        :root { --ink: #1d2430; --muted: #5b6675; --line: #d9dee6; --bg: #f6f7f9; --accent: #1f5fd1; --ok: #16794a; --bad: #b3261e; --warn: #8a5a00; }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; color: var(--ink); text-decoration: none; font-size: 1.1rem; }
        header nav { display: flex; flex-wrap: wrap; gap: 1rem; flex: 1; }
        header nav a { color: var(--muted); text-decoration: none; padding: .2rem 0; }
        header nav a[aria-current=page] { color: var(--ink); border-bottom: 2px solid var(--accent); }
        .signout { display: flex; align-items: center; gap: .5rem; }
        .who { color: var(--muted); font-size: .9rem; }
        main { max-width: 1200px; margin: 0 auto; padding: 1.25rem; }
        h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
        h2 { font-size: 1.15rem; margin: 0 0 .6rem; }
        h3 { font-size: 1rem; margin: 0 0 .5rem; }
        a { color: var(--accent); }
        table.list { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
        table.list th, table.list td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        table.list th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
        .url { word-break: break-all; }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin: 1rem 0; }
        .actions { display: flex; gap: .75rem; flex-wrap: wrap; }
        .narrow { max-width: 28rem; }
        .stack { display: flex; flex-direction: column; gap: .35rem; }
        .stack button { margin-top: .6rem; align-self: flex-start; }
        input, select { font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
        input[aria-invalid=true] { border-color: var(--bad); }
        button, .button { font: inherit; padding: .45rem .9rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }
        button.link { background: none; border: none; color: var(--accent); padding: 0; }
        button.danger { color: var(--bad); }
        form.inline { display: inline; }
        .filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin-bottom: 1rem; }
        .filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
        .badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .8rem; background: #e8ebf0; }
        .badge.healthy, .badge.delivered, .badge.success { background: #ddf3e6; color: var(--ok); }
        .badge.failing, .badge.dead, .badge.failed, .badge.off { background: #fbe1df; color: var(--bad); }
        .badge.pending { background: #fdf0d5; color: var(--warn); }
        .field-error, .error { color: var(--bad); margin: .1rem 0; }
        .flash, .secret { background: #e7f0ff; border: 1px solid #b7cdf5; padding: .6rem .8rem; border-radius: 4px; }
        .secret code { overflow-wrap: anywhere; }
        .empty, .note, .crumbs { color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0 0 1rem; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; }
        pre.code { background: #f1f3f6; border: 1px solid var(--line); padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; font-size: .85rem; margin: .3rem 0; }
        .exchange { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
        .search { display: flex; gap: .5rem; align-items: center; margin: .5rem 0; }
        .search input { width: 22rem; max-width: 100%; }
        textarea { font: .85rem/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; padding: .5rem; border: 1px solid var(--line); border-radius: 4px; width: 100%; }
        textarea[aria-invalid=true], select[aria-invalid=true] { border-color: var(--bad); }
        ol.steps { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0; margin: 0 0 1rem; color: var(--muted); }
        ol.steps li[aria-current=step] { color: var(--ink); font-weight: 600; }
        fieldset { border: 1px solid var(--line); border-radius: 4px; padding: .6rem .8rem; margin: .4rem 0; }
        .modes label, .checks label { display: block; margin: .2rem 0; }
        .checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .1rem 1rem; }
        .header-row { display: flex; gap: .5rem; flex-wrap: wrap; }
        .header-row input { flex: 1 1 10rem; min-width: 0; }
        .wizard-buttons { display: flex; gap: .75rem; margin-top: 1rem; }
        .wizard { max-width: 52rem; }
        .legend { color: var(--muted); font-size: .85rem; margin-left: .5rem; }
        .swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: -1px; margin-left: .4rem; }
        .swatch.ok { background: #16794a; } .swatch.failed { background: #b3261e; } .swatch.p50 { background: #1f5fd1; } .swatch.p99 { background: #8a5a00; }
        svg.chart { width: 100%; height: auto; max-width: 760px; display: block; }
        nav.tabs { display: flex; gap: 1.2rem; border-bottom: 1px solid var(--line); margin: 0 0 1rem; }
        nav.tabs a { padding: .4rem 0; text-decoration: none; color: var(--muted); }
        nav.tabs a[aria-current=page] { color: var(--ink); border-bottom: 2px solid var(--accent); }
        ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 2px solid var(--line); }
        ol.timeline li { padding: .25rem 0 .25rem 1rem; position: relative; }
        ol.timeline li::before { content: ""; position: absolute; left: -6px; top: .6rem; width: 10px; height: 10px; border-radius: 50%; background: var(--muted); }
        ol.timeline li.success::before { background: var(--ok); } ol.timeline li.failed::before { background: var(--bad); } ol.timeline li.event::before { background: var(--accent); }
        ol.timeline time { color: var(--muted); font-size: .85rem; margin-right: .5rem; }
        .title-row { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
        .wizard select { max-width: 100%; }
        table.mapping select { width: 100%; }
        @media (max-width: 700px) {
          main { padding: .75rem; }
          .exchange { grid-template-columns: 1fr; }
          table.list thead { display: none; }
          table.list, table.list tbody, table.list tr, table.list td { display: block; width: 100%; }
          table.list tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
          table.list td { border: none; padding: .15rem .6rem; }
          dl.facts { grid-template-columns: 1fr; }
        }
        """

    static let javaScript = """
        "use strict";
        // Tokens page: rows whose name, category or description contain every word typed.
        document.addEventListener("DOMContentLoaded", () => {
          const search = document.getElementById("token-search");
          if (!search) return;
          const count = document.getElementById("token-count");
          const filter = () => {
            const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
            let shown = 0;
            document.querySelectorAll(".token-category").forEach((section) => {
              let inSection = 0;
              section.querySelectorAll(".token-row").forEach((row) => {
                const match = words.every((word) => row.dataset.search.includes(word));
                row.hidden = !match;
                if (match) inSection += 1;
              });
              section.hidden = inSection === 0;
              shown += inSection;
            });
            count.textContent = words.length ? `${shown} tokens match` : "";
          };
          search.addEventListener("input", filter);
        });

        // The wizard: only the chosen way's fields, "+" adds a header row, other codes when asked.
        document.addEventListener("DOMContentLoaded", () => {
          const wizard = document.getElementById("wizard");
          if (!wizard) return;
          const modes = wizard.querySelectorAll("input[name=mode]");
          const showMode = () => {
            const mode = wizard.querySelector("input[name=mode]:checked")?.value;
            wizard.querySelectorAll(".mode-existing").forEach((part) => { part.hidden = mode !== "existing"; });
            wizard.querySelectorAll(".mode-create").forEach((part) => { part.hidden = mode !== "create"; });
          };
          modes.forEach((radio) => radio.addEventListener("change", showMode));
          if (modes.length) showMode();
          const add = document.getElementById("add-header");
          if (add) add.addEventListener("click", (event) => {
            event.preventDefault();
            const rows = document.getElementById("header-rows");
            const row = rows.querySelector(".header-row").cloneNode(true);
            row.querySelectorAll("input").forEach((input) => { input.value = ""; });
            rows.appendChild(row);
            row.querySelector("input").focus();
          });
          const code = document.getElementById("success_code");
          const other = document.getElementById("success_other");
          if (code && other) {
            const showOther = () => { other.hidden = code.value !== "other"; };
            code.addEventListener("change", showOther);
            showOther();
          }
        });
        """
}
