// The hosted UI's one stylesheet, served from /static/hosted-ui.css so the CSP needs no 'unsafe-inline'.
export const HOSTED_UI_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#16191f;background:#f2f3f3}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;padding:3rem 1rem}
main{width:100%;max-width:24rem;background:#fff;border:1px solid #d5dbdb;border-radius:8px;padding:1.75rem 1.5rem;box-shadow:0 1px 3px rgba(0,28,36,.15)}
.brand{margin:0 0 1.25rem;font-size:.875rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:#545b64}
h1{margin:0 0 1.25rem;font-size:1.375rem;font-weight:700}
form{display:flex;flex-direction:column;gap:1rem}
label{display:flex;flex-direction:column;gap:.375rem;font-weight:600;font-size:.9375rem}
input{font:inherit;font-weight:400;padding:.625rem .75rem;border:1px solid #879596;border-radius:4px;background:#fff;color:inherit;width:100%}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #0972d3;outline-offset:2px}
.hint{font-weight:400;font-size:.8125rem;color:#545b64}
button{font:inherit;font-weight:700;padding:.625rem 1rem;border:0;border-radius:20px;background:#0972d3;color:#fff;cursor:pointer}
button:hover{background:#065299}
.error{margin:0 0 1rem;padding:.75rem 1rem;border-left:4px solid #d91515;background:#fff7f7;color:#8c0d0d}
.error ul{margin:0;padding-left:1.25rem}
.alt{margin:1.25rem 0 0;font-size:.9375rem;text-align:center}
a{color:#0972d3}
@media (prefers-color-scheme:dark){html{background:#0f1b2a;color:#e9ebed}main{background:#16191f;border-color:#414d5c}input{background:#0f1b2a;border-color:#8d99a8}.brand,.hint{color:#b6bec9}.error{background:#270a11;color:#ffbaba}a{color:#539fe5}}
`;
