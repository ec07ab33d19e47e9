// What a domain controller imports to mark its routes and read its caller, in one line. The
// markings live in infra/http and the compound standing in memberships, beneath auth, so that
// memberships (which auth reads) can use them too; the AccessGuard here enforces them.
export { Auth, type AuthContext, Can, SignedIn } from '../../infra/http/route-access';
export { Access, type CompoundAccess } from '../memberships/compound-access';
