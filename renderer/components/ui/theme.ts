// The desk's colour theme: as the computer says (light or dark, and high contrast when the
// system asks for more contrast), or one chosen on this machine. The choice is a display
// preference of the screen, not of a person, so it is kept in localStorage for the machine.
// The colours themselves are in styles.css: light and dark through light-dark() and
// color-scheme, high contrast as [data-theme='contrast'].
import { useEffect, useState } from 'react';

export const THEMES = ['auto', 'light', 'dark', 'contrast'] as const;
export type Theme = (typeof THEMES)[number];

const KEY = 'circa.theme';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function readTheme(): Theme {
  const kept = storage()?.getItem(KEY);
  return (THEMES as readonly string[]).includes(kept ?? '') ? (kept as Theme) : 'auto';
}

const prefersContrast = () =>
  typeof window.matchMedia === 'function' && window.matchMedia('(prefers-contrast: more)').matches;

/** Puts the theme on <html>: data-theme names it, except 'auto' without a call for more contrast, which the CSS follows by itself. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  const shown = theme === 'auto' ? (prefersContrast() ? 'contrast' : null) : theme;
  if (shown) root.dataset.theme = shown;
  else delete root.dataset.theme;
}

/** The chosen theme and a way to change it; follows the system's contrast setting while on 'auto'. */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(readTheme);
  useEffect(() => {
    applyTheme(theme);
    if (theme !== 'auto' || typeof window.matchMedia !== 'function') return;
    const query = window.matchMedia('(prefers-contrast: more)');
    const follow = () => applyTheme('auto');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [theme]);
  return [
    theme,
    (next) => {
      storage()?.setItem(KEY, next);
      setTheme(next);
    },
  ];
}
