// The bounded memo behind X.509 parsing, and the parse cache itself.
import { afterAll, describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/domain/memo.js';
import { isIssuedBy, parseCertificate } from '../../src/domain/x509.js';
import { OpensslPki } from './openssl-pki.js';

describe('boundedMemo', () => {
  it('computes once per key and drops the least recently used beyond its limit', () => {
    const calls: string[] = [];
    const upper = boundedMemo(
      2,
      (s: string) => s,
      (s: string) => {
        calls.push(s);
        return s.toUpperCase();
      },
    );
    expect(upper('a')).toBe('A');
    expect(upper('b')).toBe('B');
    expect(upper('a')).toBe('A'); // a is now the most recent
    expect(upper('c')).toBe('C'); // evicts b
    expect(upper('a')).toBe('A');
    expect(upper('b')).toBe('B');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not keep a thrown error', () => {
    let n = 0;
    const flaky = boundedMemo(
      4,
      (s: string) => s,
      () => {
        if (++n === 1) throw new Error('first call fails');
        return n;
      },
    );
    expect(() => flaky('x')).toThrow('first call fails');
    expect(flaky('x')).toBe(2);
    expect(flaky('x')).toBe(2);
  });
});

describe('parseCertificate cache', () => {
  const pki = new OpensslPki();
  afterAll(() => pki.dispose());
  const root = pki.selfSigned('Memo Test Root');
  const inter = pki.intermediate('Memo Issuing CA', root);
  const impostor = pki.selfSigned('Memo Issuing CA');
  const leaf = pki.leaf({
    cn: 'memo.contoso.com',
    start: '20260101000000Z',
    end: '20270101000000Z',
    issuer: inter,
  });

  it('returns the same parsed object for the same text and parses bytes afresh', () => {
    const b64 = leaf.der.toString('base64');
    expect(parseCertificate(b64)).toBe(parseCertificate(b64));
    expect(parseCertificate(leaf.pem)).toBe(parseCertificate(leaf.pem));
    expect(parseCertificate(leaf.der)).not.toBe(parseCertificate(leaf.der));
    expect(parseCertificate(leaf.der).thumbprint).toBe(parseCertificate(b64).thumbprint);
  });

  it('answers signature checks the same way cached or not (a same-name impostor never issues)', () => {
    const parsed = parseCertificate(leaf.pem);
    for (let i = 0; i < 2; i++) {
      expect(isIssuedBy(parsed, parseCertificate(inter.pem))).toBe(true);
      expect(isIssuedBy(parsed, parseCertificate(impostor.pem))).toBe(false);
    }
  });
});
