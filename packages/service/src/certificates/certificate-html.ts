import {
  type Expert,
  formatZhDate,
  groups,
  industries,
  toShanghaiDate,
} from '@expert-dispatch/rules';
import QRCode from 'qrcode';
import { page } from '../dispatch/reply-page.js';
import { specialtiesZh } from '../experts/specialty-label.js';
import type { CertificateView } from './certificate-record.js';

/** The pages load nothing and run nothing: inline style and inline SVG only. */
export const CERTIFICATE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

// A4 portrait, one sheet; CJK fonts of the machine (no web fonts).
const STYLE = `
@page{size:A4 portrait;margin:18mm}
body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","Source Han Serif SC","SimSun",serif;color:#111;margin:0 auto;max-width:174mm;padding:0 4mm;line-height:1.9;font-size:13pt}
.sheet{border:3px double #a11;padding:14mm 12mm;min-height:220mm;box-sizing:border-box;display:flex;flex-direction:column}
h1{text-align:center;letter-spacing:1.2em;font-size:30pt;margin:4mm 0 10mm;color:#a11}
.number{text-align:right;font-size:11pt}
.body{text-indent:2em;font-size:15pt;flex:1}
.seal{margin-top:8mm;text-align:right}
.state{font-weight:bold}
.verify{display:flex;gap:6mm;align-items:center;margin-top:10mm;font-size:10pt;word-break:break-all}
.verify svg{width:30mm;height:30mm;flex:none}
@media screen and (max-width:640px){body{font-size:12pt}.sheet{padding:6mm;min-height:0}h1{font-size:22pt;letter-spacing:.5em}}
`;

/**
 * A QR code of the text as inline SVG (no script, no image request).
 *
 * @example
 * const svg = await qrSvg('https://zj.example.cn/certificates/…'); // '<svg …>'
 */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/**
 * The printable A4 certificate (聘书, 第十一条): the department, the expert's name and
 * specialty, the term, the number, whether it is sealed (valid only once sealed) and a QR code
 * of the public verification page.
 *
 * @example
 * const html = await certificatePageHtml({ certificate, expert, department: '云南省应急管理厅' });
 */
export async function certificatePageHtml(args: {
  readonly certificate: CertificateView;
  readonly expert: Pick<Expert, 'name' | 'group' | 'industries' | 'specialties'>;
  readonly department: string;
}): Promise<string> {
  const { certificate, expert } = args;
  const fields = [
    groups.labels[expert.group].zh,
    ...expert.industries.map((industry) => industries.labels[industry].zh),
  ].join('、');
  const specialties =
    expert.specialties.length > 0 ? `，专长：${escapeHtml(specialtiesZh(expert.specialties))}` : '';
  const sealed =
    certificate.sealedAt === null
      ? '未盖章：本聘书盖章后方可生效'
      : `已盖章（${formatZhDate(toShanghaiDate(certificate.sealedAt))}）`;
  const qr = await qrSvg(certificate.verificationUrl);
  const body = `<div class="sheet"><p class="number">编号：<span id="number">${escapeHtml(certificate.number)}</span></p><h1>聘书</h1><p class="body">兹聘请 <strong id="name">${escapeHtml(expert.name)}</strong> 同志为${escapeHtml(args.department)}工贸行业安全生产专家（${escapeHtml(fields)}${specialties}），聘期自${formatZhDate(certificate.term.from)}至${formatZhDate(certificate.term.to)}。</p><div class="seal"><p>${escapeHtml(args.department)}</p><p>盖章状态：<span id="seal">${sealed}</span></p><p>核验状态：<span class="state" id="state" data-state="${certificate.state}">${escapeHtml(certificate.stateLabel.zh)}</span></p></div><div class="verify">${qr}<p>扫码或访问以下地址核验本聘书（依据《云南省工贸行业安全生产专家管理办法》第十一条）：<br>${escapeHtml(certificate.verificationUrl)}</p></div></div>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>聘书 ${escapeHtml(certificate.number)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/**
 * The public verification page of a number: its state, the name and the term, nothing else.
 *
 * @example
 * publicCertificatePageHtml({ number, state: 'valid', stateLabel, name: '张明华', term });
 */
export function publicCertificatePageHtml(
  found: {
    readonly number: string;
    readonly state: string;
    readonly stateLabel: { readonly zh: string };
    readonly name: string;
    readonly term: { readonly from: string; readonly to: string };
  } | null,
  number: string,
): string {
  if (found === null) {
    return page(
      '聘书核验',
      `<h1>聘书核验</h1><p id="state" data-state="not_found">未找到编号为“${escapeHtml(number)}”的聘书。请核对编号。</p>`,
    );
  }
  return page(
    '聘书核验',
    `<h1>聘书核验</h1><dl><dt>编号</dt><dd>${escapeHtml(found.number)}</dd><dt>专家</dt><dd>${escapeHtml(found.name)}</dd><dt>聘期</dt><dd>${formatZhDate(found.term.from)}至${formatZhDate(found.term.to)}</dd><dt>状态</dt><dd><strong id="state" data-state="${escapeHtml(found.state)}">${escapeHtml(found.stateLabel.zh)}</strong></dd></dl><p><small>聘书盖章后方可生效，聘期届满自动失效（第十一条）。</small></p>`,
  );
}
