#!/usr/bin/env node
// Regenerates the "## Inputs" and "## Outputs" tables of every Terraform README (root, modules, examples) from
// variables.tf and outputs.tf, so the tables never drift from the code and no README keeps a hand-made count.
//   node terraform/tools/docs.mjs          rewrite the tables
//   node terraform/tools/docs.mjs --check  exit 1 and name each README whose tables are stale (make tf-check)
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const tfRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

// Returns the text of the block opened by the `{` at `open`, skipping strings and heredocs.
function blockEnd(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '<' && text.startsWith('<<', i)) {
      const m = /^<<-?([A-Z]+)\n/.exec(text.slice(i));
      if (m) {
        const end = text.indexOf(`\n`, text.indexOf(`\n`, i) + 1);
        const close = new RegExp(`^\\s*${m[1]}\\s*$`, 'm');
        const rest = text.slice(end === -1 ? i : i + m[0].length);
        const cm = close.exec(rest);
        i = i + m[0].length + (cm ? cm.index + cm[0].length : rest.length) - 1;
      }
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      i = text.indexOf('\n', i);
      if (i === -1) return text.length;
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

// Top-level `key = value` attributes of a block body (values may span lines; nested blocks are skipped).
function attributes(body) {
  const out = {};
  let i = 0;
  while (i < body.length) {
    const rest = body.slice(i);
    const m = /^[ \t]*([a-z_]+)[ \t]*=[ \t]*/.exec(rest);
    if (m) {
      const start = i + m[0].length;
      let end = start;
      const heredoc = /^<<-?([A-Z]+)\n/.exec(body.slice(start));
      if (heredoc) {
        const after = body.slice(start + heredoc[0].length);
        const cm = new RegExp(`^\\s*${heredoc[1]}\\s*$`, 'm').exec(after);
        const text = after.slice(0, cm ? cm.index : after.length);
        out[m[1]] = { heredoc: text };
        end = start + heredoc[0].length + (cm ? cm.index + cm[0].length : after.length);
      } else {
        // Up to the end of the line, or of the bracketed value that starts on it.
        let depth = 0;
        for (end = start; end < body.length; end++) {
          const c = body[end];
          if (c === '"') {
            for (end++; end < body.length && body[end] !== '"'; end++) if (body[end] === '\\') end++;
          } else if ('{[('.includes(c)) depth++;
          else if ('}])'.includes(c)) depth--;
          else if (c === '\n' && depth <= 0) break;
        }
        out[m[1]] = { raw: body.slice(start, end).trim() };
      }
      i = end + 1;
      continue;
    }
    const b = /^[ \t]*[a-z_]+[^\n=]*\{/.exec(rest);
    if (b) {
      i = blockEnd(body, i + b[0].length - 1) + 1;
      continue;
    }
    const nl = body.indexOf('\n', i);
    i = nl === -1 ? body.length : nl + 1;
  }
  return out;
}

function blocks(file, kind) {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const re = new RegExp(`^${kind} "([^"]+)" \\{`, 'gm');
  const found = [];
  let m;
  while ((m = re.exec(text))) {
    const open = m.index + m[0].length - 1;
    const end = blockEnd(text, open);
    found.push({ name: m[1], attrs: attributes(text.slice(open + 1, end)) });
  }
  return found;
}

const oneLine = (s) => s.replace(/\s+/g, ' ').trim();
const cell = (s) => oneLine(s).replace(/\|/g, '\\|');
function description(a) {
  if (!a) return '';
  if (a.heredoc !== undefined) return cell(a.heredoc);
  const raw = a.raw;
  return cell(raw.startsWith('"') ? JSON.parse(raw.replace(/\\\$/g, '$')) : raw);
}
function code(raw, max = 60) {
  let s = oneLine(raw);
  if (s.length > max) s = `${s.slice(0, max - 3)}...`;
  return `\`${s.replace(/\|/g, '\\|')}\``;
}

function tables(dir) {
  const vars = blocks(join(dir, 'variables.tf'), 'variable');
  const outs = blocks(join(dir, 'outputs.tf'), 'output');
  const inputs = [
    '## Inputs',
    '',
    '| Name | Type | Default | Description |',
    '|---|---|---|---|',
    ...vars.map((v) => {
      const type = v.attrs.type ? code(v.attrs.type.raw) : '`any`';
      const def = v.attrs.default ? code(v.attrs.default.raw ?? v.attrs.default.heredoc) : '**required**';
      return `| \`${v.name}\` | ${type} | ${def} | ${description(v.attrs.description)} |`;
    }),
  ];
  const outputs = [
    '## Outputs',
    '',
    '| Name | Description |',
    '|---|---|',
    ...outs.map((o) => `| \`${o.name}\` | ${description(o.attrs.description)} |`),
  ];
  return { inputs: inputs.join('\n'), outputs: outputs.join('\n') };
}

// Replaces the section that starts with `heading` and runs to the next `## ` heading (or the end).
function replaceSection(readme, heading, content) {
  const re = new RegExp(`^${heading}\\n[\\s\\S]*?(?=^## |(?![\\s\\S]))`, 'm');
  if (!re.test(readme)) return readme;
  return readme.replace(re, `${content}\n\n`);
}

const dirs = [tfRoot];
for (const group of ['modules', 'examples']) {
  const base = join(tfRoot, group);
  if (existsSync(base)) for (const d of readdirSync(base).sort()) dirs.push(join(base, d));
}

const check = process.argv.includes('--check');
let stale = 0;
for (const dir of dirs) {
  const file = join(dir, 'README.md');
  if (!existsSync(file) || !existsSync(join(dir, 'variables.tf'))) continue;
  const before = readFileSync(file, 'utf8');
  const t = tables(dir);
  const root = dir === tfRoot;
  let after = replaceSection(before, root ? '## Root inputs' : '## Inputs', t.inputs.replace('## Inputs', root ? '## Root inputs' : '## Inputs'));
  after = replaceSection(after, root ? '## Root outputs' : '## Outputs', t.outputs.replace('## Outputs', root ? '## Root outputs' : '## Outputs'));
  after = after.replace(/\n+$/, '\n');
  if (after !== before) {
    stale++;
    if (check) console.error(`docs: ${relative(join(tfRoot, '..'), file)} is stale (run: node terraform/tools/docs.mjs)`);
    else writeFileSync(file, after);
  }
}
if (check && stale > 0) process.exit(1);
if (!check) console.log(`docs: ${stale} README(s) rewritten`);
