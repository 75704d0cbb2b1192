/**
 * Test helpers: gateways on temporary files (closed and removed after each test), and readers for the
 * port's journal and the sandbox processor's ledger that share no code with the port, so the tests
 * check its files independently.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, expect } from 'vitest';
import type { PortExit } from '@interop-module/runtime/port';
import { Gateway, type GatewayOptions } from '../lib/index.js';

export interface Files {
  journalPath: string;
  sandboxLedgerPath: string;
}

const gateways: Gateway[] = [];
const directories: string[] = [];

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

export function tempFiles(): Files {
  const directory = mkdtempSync(path.join(tmpdir(), 'payment-gateway-'));
  directories.push(directory);
  return { journalPath: path.join(directory, 'journal'), sandboxLedgerPath: path.join(directory, 'sandbox-ledger') };
}

export function openGateway(files: Files = tempFiles(), options: Partial<GatewayOptions> = {}): Gateway {
  const gateway = new Gateway({ ...files, ...options });
  gateways.push(gateway);
  return gateway;
}

let keys = 0;

/** A key no other request in this test run has used. */
export function uniqueKey(prefix = 'key'): string {
  keys += 1;
  return `${prefix}-${process.pid}-${keys}`;
}

/** Resolves with the gateway's next port exit, or rejects after `withinMs`. */
export function nextExit(gateway: Gateway, withinMs: number): Promise<PortExit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no exit event within ${withinMs} ms`)), withinMs);
    gateway.once('exit', (exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}

/** What a promise settled with: its value, or the error it rejected with. */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

export function expectCode(outcome: { value: unknown } | { error: unknown }, code: string): void {
  expect(outcome).toMatchObject({ error: { code } });
}

// ---- the sandbox processor's ledger (legacy/gateway.c) ----------------------------------------------

export interface LedgerLine {
  id: string;
  kind: 'AUTH' | 'CAPT' | 'RFND';
  reference: string;
  amount: number;
  currency: string;
  /** AUTH: the card's last 4 digits; CAPT and RFND: the authorization's id. */
  detail: string;
}

/** The complete lines of the ledger; an incomplete last line is not a transaction. */
export function readSandboxLedger(file: string): LedgerLine[] {
  const text = readFileSync(file, 'latin1');
  const header = 'SANDBOX-GATEWAY-LEDGER 1\n';
  expect(text.startsWith(header), 'the ledger starts with its header').toBe(true);
  const complete = text.slice(header.length, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const [id, kind, reference, amount, currency, detail, ...rest] = line.split(' ');
      expect(rest, `ledger line "${line}"`).toEqual([]);
      return { id: id!, kind: kind as LedgerLine['kind'], reference: reference!, amount: Number(amount), currency: currency!, detail: detail! };
    });
}

/** The ledger's authorizations by reference (the idempotency key): every charge, duplicates included. */
export function chargesByKey(lines: LedgerLine[]): Map<string, LedgerLine[]> {
  const charges = new Map<string, LedgerLine[]>();
  for (const line of lines.filter((line) => line.kind === 'AUTH')) {
    charges.set(line.reference, [...(charges.get(line.reference) ?? []), line]);
  }
  return charges;
}

// ---- the port's journal (src/journal.rs) ------------------------------------------------------------

export interface JournalRecord {
  type: 'intent' | 'outcome';
  key: string;
  terms?: { operation: string; amount: number; currency: string; cardLast4?: string; authorizationId?: string };
  outcome?: { status: 'approved'; transactionId: string } | { status: 'declined' };
  /** Where the record starts in the file, and how many bytes it takes. */
  offset: number;
  length: number;
}

export interface JournalContents {
  records: JournalRecord[];
  /** Bytes after the last complete record (a torn tail, before the port has opened the file). */
  trailingBytes: number;
}

export function readJournal(file: string): JournalContents {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('latin1')).toBe('PGJRNL01');
  const records: JournalRecord[] = [];
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const payload = bytes.subarray(at + 8, at + 8 + length);
    if (length === 0 || payload.length < length || crc32(payload) !== bytes.readUInt32BE(at + 4)) break;
    records.push({ ...(JSON.parse(payload.toString('utf8')) as JournalRecord), offset: at, length: 8 + length });
    at += 8 + length;
  }
  return { records, trailingBytes: bytes.length - at };
}

/** Each key's intent and outcome, checking that no key has two of either. */
export function journalByKey(contents: JournalContents): Map<string, { intent: JournalRecord; outcome?: JournalRecord }> {
  const byKey = new Map<string, { intent: JournalRecord; outcome?: JournalRecord }>();
  for (const record of contents.records) {
    const entry = byKey.get(record.key);
    if (record.type === 'intent') {
      expect(entry, `a second intent for ${record.key}`).toBeUndefined();
      byKey.set(record.key, { intent: record });
    } else {
      expect(entry, `an outcome without an intent for ${record.key}`).toBeDefined();
      expect(entry!.outcome, `a second outcome for ${record.key}`).toBeUndefined();
      entry!.outcome = record;
    }
  }
  return byKey;
}
