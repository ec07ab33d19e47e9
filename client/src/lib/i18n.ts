import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { zhCN } from './locales/zh-CN';
import { readStorage, writeStorage } from './storage';

export type Language = 'zh-CN' | 'en';
const LANGUAGE_KEY = 'yishi.language';

function rememberedLanguage(): Language {
  return readStorage(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

function reflectLanguage(language: string): void {
  // Screen readers pick their voice from <html lang>, so it must follow the choice.
  document.documentElement.lang = language;
}

i18n.on('languageChanged', reflectLanguage);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: rememberedLanguage(),
  fallbackLng: 'zh-CN',
  supportedLngs: ['zh-CN', 'en'],
  // Resources are bundled, so t() can answer before the first render.
  initAsync: false,
  // React escapes every text it renders already.
  interpolation: { escapeValue: false },
});

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export function setLanguage(language: Language): void {
  writeStorage(LANGUAGE_KEY, language);
  void i18n.changeLanguage(language);
}

/** The shared error catalogue speaks 'zh' and 'en'. */
export function catalogueLanguage(): 'zh' | 'en' {
  return currentLanguage() === 'en' ? 'en' : 'zh';
}

export { i18n };
