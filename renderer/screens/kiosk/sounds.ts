// The kiosk's two tones, drawn with Web Audio (no sound files to ship or load): a rising pair of
// notes when something went right, a falling pair when it was refused. A patron looking at the
// book, not the screen, hears which it was. The library can turn them off (Settings › Library ›
// Self-checkout kiosk); with no audio device the kiosk is simply silent.
import { useCallback } from 'react';
import { useSession } from '../../state/session';

export type KioskTone = 'success' | 'refusal';

interface Note {
  hz: number;
  /** Seconds from now. */
  at: number;
  seconds: number;
}

export const TONES: Record<KioskTone, { wave: OscillatorType; notes: Note[] }> = {
  success: {
    wave: 'sine',
    notes: [
      { hz: 660, at: 0, seconds: 0.12 },
      { hz: 990, at: 0.13, seconds: 0.2 },
    ],
  },
  refusal: {
    wave: 'triangle',
    notes: [
      { hz: 440, at: 0, seconds: 0.2 },
      { hz: 294, at: 0.22, seconds: 0.35 },
    ],
  },
};

let audio: AudioContext | null = null;

export function playTone(tone: KioskTone): void {
  try {
    audio ??= new AudioContext();
    // A context made before the first touch starts suspended; every kiosk tone follows a touch or a scan.
    if (audio.state === 'suspended') void audio.resume();
    const start = audio.currentTime;
    for (const note of TONES[tone].notes) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = TONES[tone].wave;
      osc.frequency.value = note.hz;
      // A short fade in and out: no click at either end.
      gain.gain.setValueAtTime(0.0001, start + note.at);
      gain.gain.exponentialRampToValueAtTime(0.3, start + note.at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + note.at + note.seconds);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + note.at);
      osc.stop(start + note.at + note.seconds + 0.02);
    }
  } catch {
    // No audio here (no device, or Web Audio refused): the words on screen say it all anyway.
  }
}

/** Plays a tone unless the library turned the kiosk's sounds off. */
export function useKioskSounds(): (tone: KioskTone) => void {
  const on = useSession((s) => s.setup?.kiosk?.sounds !== false);
  return useCallback((tone: KioskTone) => (on ? playTone(tone) : undefined), [on]);
}
