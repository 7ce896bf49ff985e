import { AllowList } from './address-policy.js';
import { inspectUrl, MAX_URL_LENGTH } from './url-policy.js';

const none = AllowList.empty;

describe('inspectUrl', () => {
  it('accepts public http(s) URLs and names still to resolve', () => {
    expect(inspectUrl('https://example.com/hook', none)).toMatchObject({ ok: true, kind: 'name', hostname: 'example.com', allowedByName: false });
    expect(inspectUrl('http://8.8.8.8:8080/x?y=1', none)).toMatchObject({ ok: true, kind: 'address', address: '8.8.8.8' });
    expect(inspectUrl('https://[2606:4700:4700::1111]/', none)).toMatchObject({ ok: true, kind: 'address' });
  });

  it.each([
    ['ftp://example.com/', 'only http and https URLs are allowed (got ftp)'],
    ['file:///etc/passwd', 'only http and https URLs are allowed (got file)'],
    ['gopher://example.com/', 'only http and https URLs are allowed (got gopher)'],
    ['javascript:alert(1)', 'only http and https URLs are allowed (got javascript)'],
    ['/relative/path', 'not an absolute URL'],
    ['https://user:pass@example.com/', 'credentials in the URL are not allowed'],
    ['https://user@example.com/', 'credentials in the URL are not allowed'],
  ])('refuses %s', (url, reason) => {
    expect(inspectUrl(url, none)).toEqual({ ok: false, reason });
  });

  it('refuses over-long URLs', () => {
    expect(inspectUrl(`https://example.com/${'a'.repeat(MAX_URL_LENGTH)}`, none)).toMatchObject({ ok: false });
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.0.0.2:8080/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://10.0.0.1/', 'private'],
    ['http://192.168.0.10/', 'private'],
    ['http://172.20.1.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd12::1]/', 'unique-local'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    // The WHATWG parser turns these odd IPv4 spellings into dotted quads before we look.
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
  ])('refuses the literal address in %s (%s)', (url, kind) => {
    expect(inspectUrl(url, none)).toMatchObject({ ok: false, kind });
  });

  it('lets allow-listed addresses and names through', () => {
    const allow = AllowList.parse(['127.0.0.1', 'hooks.internal']);
    expect(inspectUrl('http://127.0.0.1:9000/x', allow)).toMatchObject({ ok: true, kind: 'address', address: '127.0.0.1' });
    expect(inspectUrl('http://127.0.0.2:9000/x', allow)).toMatchObject({ ok: false, kind: 'loopback' });
    expect(inspectUrl('http://hooks.internal/x', allow)).toMatchObject({ ok: true, kind: 'name', allowedByName: true });
  });
});
