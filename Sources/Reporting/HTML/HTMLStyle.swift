/// The report's inline stylesheet: the page must render with no network access.
enum HTMLStyle {
    // Tables must fit a 1280 px window. Numbers never wrap; headers and names may, at their spaces and
    // hyphens, and summary cells may drop their "(−72%)" change onto a second line: the browser does so only when
    // a table would otherwise be wider than the page.
    static let css = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222;background:#fff;max-width:1400px}
    h1{font-size:24px;margin:0 0 6px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
    h3{font-size:15px;margin:18px 0 6px}p.meta{color:#555;margin:2px 0}
    p,li,figcaption{overflow-wrap:break-word}
    table{border-collapse:collapse;font-size:12px;margin:6px 0 14px}
    th,td{border:1px solid #d0d0d0;padding:3px 6px;text-align:right;white-space:nowrap}
    th{background:#f1f3f6;white-space:normal;vertical-align:bottom}th.group{text-align:center}
    td.name,th.name{text-align:left}td.name{white-space:normal}
    td.better{color:#176b2c;font-weight:600}td.worse{color:#a1261f;font-weight:600}
    table.summary td,table.summary th{font-size:13px;padding:4px 7px}table.summary td{white-space:normal}
    .charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
    svg.chart{border:1px solid #e2e2e2;max-width:100%;height:auto}
    .scroll{overflow-x:auto}
    figure{display:inline-block;margin:0 14px 14px 0;vertical-align:top}
    figure img{max-width:360px;border:1px solid #ccc;image-rendering:auto}
    figcaption{font-size:12px;color:#444;max-width:360px}
    .note{background:#fff8e1;border:1px solid #f0d98a;padding:6px 10px;font-size:13px}
    .legend span{display:inline-block;margin-right:14px;font-size:12px}
    .swatch{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px;border-radius:50%}
    """
}
