import { allows, type Action } from '@yishi/shared';
import type { Role } from '@yishi/shared';
import { useTranslation } from 'react-i18next';
import type { Messages } from '../lib/locales/zh-CN';
import { useLocation } from 'react-router';
import { pathTo } from '../lib/routes';
import { Link } from './link';

const SECTIONS: {
  route: 'compound' | 'members' | 'households' | 'invitations' | 'register' | 'whistles' | 'statistics';
  /** Any of these lets the user open the screen. */
  action: Action | Action[];
  label: keyof Messages['nav'];
}[] = [
  { route: 'compound', action: 'compound.view', label: 'home' },
  { route: 'members', action: 'member.list', label: 'members' },
  { route: 'households', action: 'household.list', label: 'households' },
  { route: 'invitations', action: 'invitation.list', label: 'invitations' },
  { route: 'register', action: 'register.import', label: 'registerImport' },
  // Residents follow their demands' whistles from the demand itself; the queue is for those who blow or answer them.
  { route: 'whistles', action: ['whistle.raise', 'whistle.respond'], label: 'whistles' },
  { route: 'statistics', action: 'statistics.view', label: 'statistics' },
];

/** The compound's screens this user's roles may open, read from the shared policy table. */
export function CompoundNav({ compoundId, roles }: { compoundId: string; roles: readonly Role[] }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const sections = SECTIONS.filter((s) => [s.action].flat().some((a) => allows(roles, a)));
  // A resident only has the home screen; a menu of one entry would be noise.
  if (sections.length < 2) return null;

  return (
    <nav className="compound-nav" aria-label={t('nav.manage')}>
      <ul>
        {sections.map((s) => {
          const href = pathTo(s.route, { compoundId });
          return (
            <li key={s.route}>
              <Link to={href} aria-current={pathname === href ? 'page' : undefined} data-testid={`nav-${s.label}`}>
                {t(`nav.${s.label}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
