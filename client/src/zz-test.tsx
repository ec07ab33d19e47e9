import { useTranslation } from 'react-i18next'; export function X(){ const {t}=useTranslation(); return t('nope.key'); }
