import { hashesRunning, hashPassword, verifyPassword } from './password';

describe('password hashes', () => {
  it('runs at most two at once however many residents sign in together, and each still verifies', async () => {
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, hashesRunning())), 1);
    try {
      const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`secret-${i}`, 12)));
      const checks = await Promise.all([
        ...hashes.map((h, i) => verifyPassword(`secret-${i}`, h)),
        ...hashes.map((h, i) => verifyPassword(`secret-${i + 1}`, h)),
      ]);
      expect(checks).toEqual([...hashes.map(() => true), ...hashes.map(() => false)]);
    } finally {
      clearInterval(watch);
    }
    expect(most).toBe(2);
    expect(hashesRunning()).toBe(0);
  });
});
