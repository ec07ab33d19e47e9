import { allows, type Action } from '@yishi/shared';
import type { Role } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import type { Messages } from '../lib/locales/zh-CN';
import { usePathname } from '../lib/router';
import { Link } from './link';

const SECTIONS: { path: string; action: Action; label: keyof Messages['nav'] }[] = [
  { path: '', action: 'compound.view', label: 'home' },
  { path: '/members', action: 'member.list', label: 'members' },
  { path: '/households', action: 'household.list', label: 'households' },
  { path: '/invitations', action: 'invitation.list', label: 'invitations' },
  { path: '/register', action: 'register.import', label: 'registerImport' },
];

/** The compound's screens this user's roles may open, read from the shared policy table. */
export function CompoundNav({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const pathname = usePathname();
  const base = `/c/${encodeURIComponent(compoundId)}`;
  const sections = SECTIONS.filter((s) => allows(roles, s.action));
  // A resident only has the home screen; a menu of one entry would be noise.
  if (sections.length < 2) return null;

  return (
    <nav className="compound-nav" aria-label={t('nav.manage')}>
      <ul>
        {sections.map((s) => {
          const href = base + s.path;
          return (
            <li key={s.path}>
              <Link href={href} aria-current={pathname === href ? 'page' : undefined} data-testid={`nav-${s.label}`}>
                {t(`nav.${s.label}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
