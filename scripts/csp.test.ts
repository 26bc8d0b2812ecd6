import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  connectSrcExtra,
  contentSecurityPolicyFor,
} from '../vite.config.ts';

const connectSrc = (policy: string) => policy.split('; ').find((d) => d.startsWith('connect-src'))!; // prettier-ignore

describe('the page content security policy', () => {
  it('lets a link make the page fetch no plain-http local port by default', () => {
    const policy = process.env.SDR_CONNECT_SRC ? contentSecurityPolicyFor([]) : CONTENT_SECURITY_POLICY; // prettier-ignore
    expect(connectSrc(policy)).not.toMatch(/localhost|127\.0\.0\.1|http:/);
    expect(connectSrc(policy)).toMatch(/'self' https:\/\/huggingface\.co .* https:$/);
  });

  it('adds the origins a build names in SDR_CONNECT_SRC, and refuses anything else', () => {
    const extra = connectSrcExtra(' http://localhost:8080  http://127.0.0.1:* ');
    expect(extra).toEqual(['http://localhost:8080', 'http://127.0.0.1:*']);
    expect(connectSrc(contentSecurityPolicyFor(extra))).toMatch(/http:\/\/localhost:8080 http:\/\/127\.0\.0\.1:\*/); // prettier-ignore
    expect(() => connectSrcExtra("http://x; script-src 'unsafe-eval'")).toThrow(/not an http\(s\) origin/); // prettier-ignore
    expect(() => connectSrcExtra('*')).toThrow(/SDR_CONNECT_SRC/);
  });
});
