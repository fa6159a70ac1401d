import { createHash } from 'node:crypto';
import type { FieldError } from '../errors.js';

/** The largest proof attachment accepted, in bytes (local policy; the whole request is also under BODY_LIMIT_BYTES). */
export const ATTACHMENT_MAX_BYTES = 512 * 1024;
/** The most attachments one application carries. */
export const ATTACHMENTS_MAX = 6;

/** The only content types stored: PDF, JPEG, PNG. */
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

const SIGNATURES: readonly { type: AttachmentMediaType; magic: readonly number[] }[] = [
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/**
 * The media type of `bytes` read from their first bytes (magic numbers), never from the file
 * name or a declared type: a renamed executable is no PDF. Undefined for anything else.
 *
 * @example
 * sniffMediaType(Buffer.from('%PDF-1.7\n…')); // 'application/pdf'
 * sniffMediaType(Buffer.from('MZ\x90\x00')); // undefined (a Windows executable)
 */
export function sniffMediaType(bytes: Uint8Array): AttachmentMediaType | undefined {
  return SIGNATURES.find(({ magic }) => magic.every((byte, i) => bytes[i] === byte))?.type;
}

/** A checked attachment, ready to store. */
export interface CheckedAttachment {
  readonly kind: string;
  readonly fileName: string;
  readonly mediaType: AttachmentMediaType;
  readonly content: Buffer;
  readonly size: number;
  readonly sha256: string;
}

/** An attachment as received: its bytes, or its bytes as base64 (the JSON API). */
export interface ReceivedAttachment {
  readonly kind: string;
  readonly fileName: string;
  readonly content: Buffer;
}

/**
 * Checks each attachment's size and type by content, returning the checked ones or the field
 * errors (`attachments.N.content`), so that nothing is stored when one of them is refused.
 *
 * @example
 * checkAttachments([{ kind: 'title', fileName: 'a.pdf', content: pdfBytes }]); // { ok: true, … }
 */
export function checkAttachments(
  received: readonly ReceivedAttachment[],
  field = 'content',
): { ok: true; attachments: CheckedAttachment[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const attachments: CheckedAttachment[] = [];
  received.forEach((item, index) => {
    const path = `attachments.${index}.${field}`;
    if (item.content.length === 0) {
      errors.push({ path, message: '附件为空 / the file is empty' });
      return;
    }
    if (item.content.length > ATTACHMENT_MAX_BYTES) {
      errors.push({
        path,
        message: `附件超过 ${ATTACHMENT_MAX_BYTES} 字节上限 / the file exceeds ${ATTACHMENT_MAX_BYTES} bytes`,
      });
      return;
    }
    const mediaType = sniffMediaType(item.content);
    if (mediaType === undefined) {
      errors.push({
        path,
        message:
          '仅接受 PDF、JPEG、PNG 文件（按文件内容识别）/ only PDF, JPEG or PNG (judged by content)',
      });
      return;
    }
    attachments.push({
      kind: item.kind,
      fileName: item.fileName,
      mediaType,
      content: item.content,
      size: item.content.length,
      sha256: createHash('sha256').update(item.content).digest('hex'),
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, attachments };
}

/** Strict base64 (the JSON API's encoding of an attachment). */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
