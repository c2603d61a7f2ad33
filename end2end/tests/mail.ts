// The emails the platform sent, as the tests' SMTP server stored them
// (server/tests/smtp_sink.py): NNNNNN.eml, the message as received, and
// NNNNNN.json, its envelope ({ mail_from, rcpt_tos }). The .eml appears
// last and whole, so a listed .eml can be read at once.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';

export const MAIL_DIR = process.env.BINOME_E2E_MAIL_DIR ?? path.resolve(__dirname, '..', '.e2e-mail');

export interface Email {
  /** The file it was stored in. */
  file: string;
  /** The SMTP envelope's recipients. */
  to: string[];
  subject: string;
  /** The plain-text part, decoded. */
  text: string;
  /** The HTML part, decoded ('' if none). */
  html: string;
  /** Every header, lower-cased names, as raw decoded values. */
  headers: Map<string, unknown>;
  /** The attached files: MIME type, its `method` parameter (iTIP) if any, and text. */
  attachments: { contentType: string; method: string; text: string }[];
}

/** The files of every stored email addressed (in its envelope) to `to`, oldest first. */
async function filesFor(to: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(MAIL_DIR);
  } catch {
    return []; // the sink has not created it yet
  }
  const wanted = to.toLowerCase();
  const found: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.eml')).sort()) {
    const envelope = JSON.parse(
      await fs.readFile(path.join(MAIL_DIR, name.replace(/\.eml$/, '.json')), 'utf8'),
    ) as { rcpt_tos: string[] };
    if (envelope.rcpt_tos.some((r) => r.toLowerCase() === wanted)) found.push(name);
  }
  return found;
}

async function read(name: string): Promise<Email> {
  const file = path.join(MAIL_DIR, name);
  const raw = await fs.readFile(file);
  const envelope = JSON.parse(await fs.readFile(file.replace(/\.eml$/, '.json'), 'utf8'));
  const parsed = await simpleParser(raw);
  return {
    file,
    to: envelope.rcpt_tos,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headers: parsed.headers as Map<string, unknown>,
    attachments: parsed.attachments.map((a) => {
      const type = a.headers.get('content-type') as { params?: Record<string, string> } | undefined;
      return { contentType: a.contentType, method: type?.params?.method ?? '', text: a.content.toString('utf8') };
    }),
  };
}

/**
 * One recipient's mailbox. `next()` waits for an email this mailbox has not
 * returned yet, so each call gets the next one, oldest first. Make it
 * before the action that sends, and `skipExisting()` if earlier emails
 * are not wanted.
 */
export class Inbox {
  private readonly seen = new Set<string>();

  constructor(readonly address: string) {}

  /** Marks every email already stored for this address as returned. */
  async skipExisting(): Promise<this> {
    for (const name of await filesFor(this.address)) this.seen.add(name);
    return this;
  }

  /** The next email to this address, waiting up to `timeout` ms for it. */
  async next(timeout = 20_000): Promise<Email> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const name = (await filesFor(this.address)).find((n) => !this.seen.has(n));
      if (name) {
        this.seen.add(name);
        return read(name);
      }
      if (Date.now() > deadline) {
        throw new Error(`no new email to ${this.address} in ${MAIL_DIR} after ${timeout} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /**
   * The next email with `subject`, passing over others (sent earlier but
   * delivered late by the outbox worker), waiting up to `timeout` ms.
   */
  async nextWith(subject: string, timeout = 20_000): Promise<Email> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const email = await this.next(Math.max(deadline - Date.now(), 1));
      if (email.subject === subject) return email;
    }
  }

  /** Every email stored for this address now, returned or not. */
  async count(): Promise<number> {
    return (await filesFor(this.address)).length;
  }
}

/** The first email to `to` (waiting up to `timeout` ms for it). */
export function waitForEmail(to: string, timeout = 20_000): Promise<Email> {
  return new Inbox(to).next(timeout);
}

/**
 * The absolute link of `email`'s plain-text part whose path is `pathname`
 * (e.g. '/inscription/confirmer'); fails unless there is exactly one such
 * link, and it is the same in the HTML part.
 */
export function linkIn(email: Email, pathname: string): URL {
  const links = (body: string) =>
    [...body.matchAll(/https?:\/\/[^\s"'<>]+/g)]
      .map((m) => new URL(m[0].replace(/&amp;/g, '&')))
      .filter((url) => url.pathname === pathname);
  const inText = links(email.text);
  if (inText.length !== 1) {
    throw new Error(
      `expected one link to ${pathname} in the text of ${email.file}, found ${inText.length}:\n${email.text}`,
    );
  }
  const inHtml = links(email.html);
  if (email.html && !inHtml.some((url) => url.href === inText[0].href)) {
    throw new Error(`the HTML part of ${email.file} does not link to ${inText[0].href}`);
  }
  return inText[0];
}
