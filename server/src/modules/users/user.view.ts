import type { UserSummary } from '@yishi/shared';
import type { User } from './user.entity';

export function toUserSummary(u: Pick<User, 'id' | 'displayName' | 'username' | 'phone'>): UserSummary {
  return { id: u.id, displayName: u.displayName, username: u.username, phone: u.phone };
}
