/// The report's inline stylesheet: the page must render with no network access.
enum HTMLStyle {
    static let css = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222;background:#fff;max-width:1400px}
    h1{font-size:24px;margin:0 0 6px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
    h3{font-size:15px;margin:18px 0 6px}p.meta{color:#555;margin:2px 0}
    table{border-collapse:collapse;font-size:12px;margin:6px 0 14px}
    th,td{border:1px solid #d0d0d0;padding:3px 7px;text-align:right;white-space:nowrap}
    th{background:#f1f3f6}td.name,th.name{text-align:left}
    td.better{color:#176b2c;font-weight:600}td.worse{color:#a1261f;font-weight:600}
    table.summary td,table.summary th{font-size:14px;padding:5px 10px}
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
