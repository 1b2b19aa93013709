/**
 * The kit's stylesheet. Every colour, radius and font comes from a CSS variable, so a site themes
 * the kit by setting `--plk-*` on any ancestor. React 19 hoists and de-duplicates it by `href`.
 */
const CSS = `
.plk{--plk-bg:var(--plk-theme-bg,#0f1115);--plk-fg:var(--plk-theme-fg,#f4f5f7);--plk-muted:var(--plk-theme-muted,#9aa3b2);
--plk-accent:var(--plk-theme-accent,#e5484d);--plk-surface:var(--plk-theme-surface,#1b1e25);--plk-radius:var(--plk-theme-radius,10px);
--plk-font:var(--plk-theme-font,system-ui,sans-serif);font-family:var(--plk-font);color:var(--plk-fg);background:var(--plk-bg);
border-radius:var(--plk-radius);box-sizing:border-box;max-width:100%}
.plk *{box-sizing:border-box}
.plk button,.plk select,.plk input{font:inherit;color:inherit;background:var(--plk-surface);border:1px solid #333a46;border-radius:6px;padding:.45em .8em;min-height:2.25em}
.plk button{cursor:pointer}.plk button:disabled{opacity:.5;cursor:not-allowed}
.plk button[aria-pressed=true]{background:var(--plk-accent);border-color:var(--plk-accent)}
.plk :focus-visible{outline:2px solid var(--plk-accent);outline-offset:2px}
.plk-layout{display:grid;grid-template-columns:minmax(0,1fr) 320px;gap:12px;padding:12px}
@media (max-width:760px){.plk-layout{grid-template-columns:1fr}}
@media (max-width:560px){.plk-layout{padding:6px;gap:8px}.plk-stage input[type=range]{display:none}
.plk-stage .plk-controls{gap:4px;padding:6px;font-size:.8em}.plk-stage .plk-controls button,.plk-stage .plk-controls select{padding:.25em .5em;min-height:1.9em}}
.plk-stage{position:relative;background:#000;border-radius:var(--plk-radius);overflow:hidden;aspect-ratio:16/9;width:100%}
.plk-stage video{width:100%;height:100%;object-fit:contain;background:#000;display:block}
.plk-pip{position:absolute;right:12px;bottom:12px;width:24%;min-width:96px;aspect-ratio:16/9;border-radius:8px;overflow:hidden;border:2px solid rgba(255,255,255,.7)}
.plk-pip video{object-fit:cover}
.plk-overlay-slot{position:absolute;left:0;top:0;right:0;pointer-events:none}
.plk-notice{display:flex;align-items:center;justify-content:center;flex-direction:column;gap:.75em;text-align:center;min-height:240px;padding:24px}
.plk-controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:8px 0}
.plk-stage .plk-controls{position:absolute;left:0;right:0;bottom:0;padding:10px;background:linear-gradient(transparent,rgba(0,0,0,.75));transition:opacity .3s}
.plk-stage[data-idle=true] .plk-controls{opacity:0}
.plk-stage[data-idle=true]{cursor:none}
.plk-product{position:absolute;right:12px;bottom:56px;display:flex;gap:10px;align-items:center;max-width:min(360px,70%);padding:10px;border-radius:10px;background:var(--plk-surface);box-shadow:0 2px 10px rgba(0,0,0,.3)}
.plk-product img{width:64px;height:64px;object-fit:cover;border-radius:6px}
.plk-product>div{display:flex;flex-direction:column;gap:4px}
.plk-replay{display:flex;flex-direction:column;gap:12px}.plk-replay video{width:100%;max-width:960px;background:#000;border-radius:var(--plk-radius)}
.plk-picks{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px;max-height:240px;overflow-y:auto}.plk-picks li{display:flex;gap:6px;align-items:center}.plk-picks li>span{flex:1;min-width:0}
.plk-chapters{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px}.plk-chapters button{display:flex;gap:.6em;background:none;border:0;color:inherit;cursor:pointer;padding:4px 0;font:inherit}.plk-chapters time{color:var(--plk-muted);font-variant-numeric:tabular-nums}
.plk-badge{display:inline-flex;gap:.35em;align-items:center;font-size:.8em;font-weight:600;padding:.15em .55em;border-radius:999px;background:var(--plk-surface)}
.plk-badge[data-state=live]{background:var(--plk-accent);color:#fff}
.plk-panel{background:var(--plk-surface);border-radius:var(--plk-radius);padding:10px;display:flex;flex-direction:column;gap:8px;min-height:0}
.plk-chat-log{list-style:none;margin:0;padding:0;overflow-y:auto;max-height:320px;display:flex;flex-direction:column;gap:4px}
.plk-chat-log b{color:var(--plk-muted);font-weight:600;margin-right:.35em}
.plk-chat-form{display:flex;gap:6px}.plk-chat-form input{flex:1;min-width:0}
.plk-reactions{display:flex;gap:4px;flex-wrap:wrap}
.plk-floating{position:absolute;left:16px;bottom:64px;display:flex;flex-direction:column-reverse;gap:4px;font-size:1.6em;pointer-events:none}
.plk-stats{font-family:ui-monospace,monospace;font-size:.8em;color:var(--plk-muted);display:grid;grid-template-columns:auto auto;gap:2px 12px}
.plk-error{color:#ffb4b4}
.plk-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px;list-style:none;padding:0;margin:0}
.plk-card{background:var(--plk-surface);border-radius:var(--plk-radius);padding:12px;display:flex;flex-direction:column;gap:6px;color:inherit;text-decoration:none}
.plk-card h3{margin:0;font-size:1.05em}
.plk-muted{color:var(--plk-muted)}
.plk-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.plk-prejoin .lk-prejoin{display:flex;flex-direction:column;gap:10px;max-width:640px}
.plk-prejoin .lk-video-container{aspect-ratio:16/9;background:#000;border-radius:var(--plk-radius);overflow:hidden}
.plk-prejoin .lk-video-container video{width:100%;height:100%;object-fit:cover}
.plk-prejoin .lk-button-group-container{display:flex;gap:8px;flex-wrap:wrap}
.plk-prejoin .lk-button-group{display:flex;gap:4px}
.plk-prejoin .lk-device-menu{background:var(--plk-surface);padding:6px;border-radius:6px}
.plk-prejoin .lk-device-menu ul{list-style:none;margin:0;padding:0}
.plk-prejoin .lk-camera-off-note svg{max-width:120px}
.plk-composite{position:fixed;inset:0;background:#000;border-radius:0}
.plk-composite .plk-stage{aspect-ratio:auto;height:100vh;border-radius:0}
`

/** Renders the kit's stylesheet once per document. */
export function KitStyles() {
  return (
    <style href="payload-plugin-livekit-kit" precedence="default">
      {CSS}
    </style>
  )
}
