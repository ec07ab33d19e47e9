import { authApi } from './auth';
import { compoundsApi } from './compounds';
import { demandsApi } from './demands';
import { meetingsApi } from './meetings';
import { minutesApi } from './minutes';
import { noticesApi } from './notices';
import { projectsApi } from './projects';
import { proposalsApi } from './proposals';
import { resourcesApi } from './resources';
import { statisticsApi } from './statistics';
import { votesApi } from './votes';
import { whistlesApi } from './whistles';

/** Every endpoint of the server's HTTP API, one file per area; callers write `api.<endpoint>`. */
export const api = {
  ...authApi,
  ...compoundsApi,
  ...meetingsApi,
  ...minutesApi,
  ...proposalsApi,
  ...votesApi,
  ...demandsApi,
  ...whistlesApi,
  ...projectsApi,
  ...resourcesApi,
  ...noticesApi,
  ...statisticsApi,
};

export {
  acceptTokens,
  ApiRequestError,
  expireAccessToken,
  hasStoredSession,
  onSessionLost,
  onSignedOutElsewhere,
  refreshSession,
  socketToken,
  type ClientErrorCode,
} from './http';
