// The desk's sounds: a hold found at check-in chimes, so staff look up from the book drop. On by
// default; turned off per station (this desk's browser or app keeps the choice, as a device
// setting: the next desk may sit in a quiet reading room).
const HOLD_SOUND_KEY = 'circa.desk.holdSound';

export function holdSoundOn(): boolean {
  try {
    return localStorage.getItem(HOLD_SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setHoldSound(on: boolean): void {
  try {
    localStorage.setItem(HOLD_SOUND_KEY, on ? 'on' : 'off');
  } catch {
    /* storage unavailable (a locked-down profile): the choice lasts for this page only */
  }
}

let audio: AudioContext | null = null;
/** How many chimes this page has played (the tests check the sound happened). */
export let chimesPlayed = 0;

/** Two short rising tones (Web Audio): nothing to load, works offline. */
export function playHoldSound(): void {
  chimesPlayed++;
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.2, start + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.18 + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + i * 0.18);
      osc.stop(start + i * 0.18 + 0.17);
    }
  } catch {
    /* no audio device: the dialog says it all the same */
  }
  // Whole-page tests look for this to know the chime was played.
  document.documentElement.dataset.chimes = String(chimesPlayed);
}
