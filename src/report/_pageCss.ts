/** The report page's stylesheet (print styles hide the controls). */
export const CSS = `
:root{--fg:#1a1a1a;--muted:#555;--line:#ddd;--bg:#fff;--accent:#0072B2}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:24px;border-bottom:1px solid var(--line)}
h1{margin:0 0 4px;font-size:26px}h2{font-size:20px;margin:0 0 12px}h3{font-size:16px;margin:12px 0 4px}h4{font-size:14px;margin:10px 0 4px}
.meta{color:var(--muted);margin:0 0 12px}
nav ul{list-style:none;padding:0;margin:0 0 12px;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:14px}
a{color:var(--accent)}
section{padding:20px 0;border-bottom:1px solid var(--line);break-inside:avoid-page}
.reason{color:var(--muted);font-style:italic}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.kpi{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.kpi .v{font-size:24px;font-weight:600}.kpi .l{font-size:13px;color:var(--muted)}.kpi .d{font-size:12px;color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}
figure{margin:0;max-width:720px}figcaption{font-size:13px;color:var(--muted)}
svg.chart{max-width:100%;height:auto;display:block}
svg.bars{max-width:360px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin-bottom:8px}
.controls label{display:flex;flex-direction:column;font-size:13px}
input,select,button{font:inherit}
button.cust,button.cust-link{background:none;border:0;padding:0;color:var(--accent);text-decoration:underline;cursor:pointer}
:focus-visible{outline:3px solid #E69F00;outline-offset:2px}
.customer{border:1px solid var(--line);border-radius:6px;padding:4px 12px;margin:6px 0}.customer h3{margin:6px 0 2px}
.scroll{overflow-x:auto}
.sentences{margin:4px 0;padding-left:20px}
.pts{font-variant-numeric:tabular-nums;font-size:13px}.pts.neg{color:#B34700}.pts.pos{color:#00704F}
#cv-detail{border:2px solid var(--accent);border-radius:6px;padding:8px 14px;margin-top:12px}
.drivers{list-style:none;padding:0}.drivers li{display:flex;gap:8px;align-items:center;margin:3px 0}
.bar{display:inline-block;height:10px}.bar.neg{background:#D55E00}.bar.pos{background:#009E73}
td[data-band="at risk"]{color:#B34700}td[data-band=healthy]{color:#00704F}
.warnings li{margin:2px 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media print{nav,.controls,.pager,#cv-detail,noscript{display:none!important}section{break-inside:avoid}body{font-size:12px}a{color:inherit}}
`;
