import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

const supported = typeof window !== 'undefined' && 'speechSynthesis' in window && 'SpeechSynthesisUtterance' in window;

/**
 * Reads a text aloud with the browser's speech synthesis in a Chinese voice (or English when
 * the app is in English). Only on a tap, never by itself; hidden where the API is missing.
 */
export function ReadAloud({ text, label, stopLabel, testId }: { text: () => string; label?: string; stopLabel?: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  const [speaking, setSpeaking] = useState(false);

  useEffect(
    () => () => {
      if (supported && speaking) window.speechSynthesis.cancel();
    },
    [speaking],
  );

  if (!supported) return null;

  const toggle = () => {
    const synth = window.speechSynthesis;
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const utterance = new SpeechSynthesisUtterance(text());
    utterance.lang = i18n.language === 'en' ? 'en-US' : 'zh-CN';
    const voice = synth.getVoices().find((v) => v.lang.replace('_', '-').startsWith(utterance.lang));
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    synth.cancel();
    synth.speak(utterance);
    setSpeaking(true);
  };

  return (
    <button type="button" className="button-quiet" aria-pressed={speaking} onClick={toggle} data-testid={testId ?? 'read-aloud'}>
      {speaking ? (stopLabel ?? t('readAloud.stop')) : (label ?? t('readAloud.read'))}
    </button>
  );
}
