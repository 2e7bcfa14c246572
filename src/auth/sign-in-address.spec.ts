import { signInAddress } from 'src/auth/sign-in-address';

describe('signInAddress', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::ffff:c000:0207', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['::1', '::/64'],
    [undefined, 'unknown'],
    ['', 'unknown'],
    ['not an address', 'unknown'],
  ])('%s counts as %s', (ip, key) => {
    expect(signInAddress(ip)).toBe(key);
  });

  it('gives every address of one /64 the same key, and neighbouring /64s different keys', () => {
    expect(signInAddress('2001:db8:0:1::1')).toBe(signInAddress('2001:db8:0:1:ffff::9'));
    expect(signInAddress('2001:db8:0:1::1')).not.toBe(signInAddress('2001:db8:0:2::1'));
  });
});
