import { localPath } from 'src/admin/http/ui-result';
import { formatBytes, formatDate, queryString, readinessShares } from 'src/admin/http/view-filters';
import { isUiPath } from 'src/admin/ui-routes';

describe('UI helpers', () => {
  it.each([
    ['/ui/clients/1', '/ui/clients/1'],
    ['/?search=a', '/?search=a'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    [undefined, '/'],
    ['/ui/clients?q=a b#top', '/ui/clients?q=a%20b#top'],
    ['/ui/clients/é', '/ui/clients/%C3%A9'],
    ['/%09/evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['/\r\nSet-Cookie: x=1', '/'],
    ['/%0d%0aSet-Cookie:%20x=1', '/'],
    ['/%2F/evil.example', '/'],
    ['/%5Cevil.example', '/'],
    ['/.//evil.example', '/'],
    ['/./%2e//evil.example', '/'],
    ['/%E0%A4%A', '/'],
    ['/\u0000', '/'],
    ['/x\u007f', '/'],
    ['HTTPS://evil.example', '/'],
    [' //evil.example', '/'],
    ['/' + 'a'.repeat(2000), '/'],
    [['/a', '/b'], '/'],
  ])('sends %j back to %s after sign-in', (next, expected) => {
    expect(localPath(next, '/')).toBe(expected);
  });

  it.each([
    ['/', true],
    ['/?page=2', true],
    ['/login', true],
    ['/login?next=%2F', true],
    ['/logout', true],
    ['/assets/app.css?v=1', true],
    ['/ui', true],
    ['/ui/clients/x', true],
    ['/api/v1/clients', false],
    ['/health', false],
    ['/docs', false],
    ['/loginx', false],
    ['/uix', false],
    ['/LOGIN', true],
    ['/Ui/clients', true],
  ])('%s is a UI path: %s', (url, ui) => {
    expect(isUiPath(url)).toBe(ui);
  });

  it('formats dates in UTC, sizes in binary units, and query strings without empty values', () => {
    expect(formatDate('2026-03-04')).toBe('2026-03-04');
    expect(formatDate(new Date('2026-03-04T23:30:00Z'), true)).toBe('2026-03-04 23:30 UTC');
    expect(formatDate(null)).toBe('');
    expect(formatBytes(63)).toBe('63 B');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(queryString({ a: 'x y', b: '', c: null, d: 2 }, { d: 3 })).toBe('?a=x+y&d=3');
    expect(queryString({})).toBe('');
  });

  it('splits readiness into bar shares of the applicable controls', () => {
    expect(readinessShares({ applicable: 8, met: 2, partial: 1, gap: 5 })).toEqual({ met: 25, partial: 12.5, gap: 62.5 });
    expect(readinessShares({ applicable: 0, met: 0, partial: 0, gap: 0 })).toEqual({ met: 0, partial: 0, gap: 0 });
  });
});
