import iconv from 'iconv-lite';

/** The text of an uploaded CSV file and the encoding it was read in, or why it could not be. */
export type DecodedCsv =
  | { readonly ok: true; readonly text: string; readonly encoding: 'utf-8' | 'gb18030' }
  | { readonly ok: false; readonly message: { readonly zh: string; readonly en: string } };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
// Charset names a client may send for the Chinese national encodings; GB18030 is a superset of
// GBK and GB2312, so one decoder reads all three.
const GB_CHARSETS = new Set(['gb18030', 'gbk', 'gb2312', 'cp936', 'x-gbk', 'windows-936']);

/**
 * Decodes an uploaded CSV file. Chinese Excel saves "CSV (逗号分隔)" in GB18030/GBK without a
 * byte-order mark, other tools save UTF-8 with or without one, and browsers and scripts often
 * label either as `charset=utf-8` — so the bytes decide: a UTF-8 BOM or bytes that are valid
 * UTF-8 are UTF-8; otherwise bytes that are valid GB18030 are GB18030. An explicit GB charset is
 * honoured. Bytes that are neither are refused with what to do, in Chinese first.
 *
 * @example
 * decodeCsvBytes(iconv.encode('姓名,手机\r\n', 'gb18030')); // { ok: true, text: '姓名,手机\r\n', encoding: 'gb18030' }
 */
export function decodeCsvBytes(bytes: Uint8Array, charset?: string): DecodedCsv {
  if (UTF8_BOM.every((byte, index) => bytes[index] === byte)) {
    const text = decodeUtf8(bytes.subarray(3));
    if (text !== null) return { ok: true, text, encoding: 'utf-8' };
  } else if (charset !== undefined && GB_CHARSETS.has(charset.toLowerCase())) {
    const text = decodeGb18030(bytes);
    if (text !== null) return { ok: true, text, encoding: 'gb18030' };
  } else {
    const utf8 = decodeUtf8(bytes);
    if (utf8 !== null) return { ok: true, text: utf8, encoding: 'utf-8' };
    const gb = decodeGb18030(bytes);
    if (gb !== null) return { ok: true, text: gb, encoding: 'gb18030' };
  }
  return {
    ok: false,
    message: {
      zh:
        '无法识别 CSV 文件的字符编码（既不是 UTF-8，也不是 GB18030/GBK）。请在 Excel 中“另存为”' +
        '“CSV UTF-8（逗号分隔）(*.csv)”或“Excel 工作簿 (*.xlsx)”后重新导入',
      en:
        'the CSV file is neither UTF-8 nor GB18030/GBK; in Excel use "Save As" → ' +
        '"CSV UTF-8 (Comma delimited)" or "Excel Workbook (*.xlsx)" and import again',
    },
  };
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

// iconv-lite replaces byte sequences GB18030 does not define with U+FFFD; a file containing one
// (and no U+FFFD of its own — GB18030 can encode it, as 0x84 0x31 0xA4 0x37) was not GB18030.
function decodeGb18030(bytes: Uint8Array): string | null {
  const text = iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    'gb18030',
  );
  if (!text.includes('\uFFFD')) return text;
  const reencoded = iconv.encode(text, 'gb18030');
  return Buffer.compare(reencoded, Buffer.from(bytes)) === 0 ? text : null;
}
