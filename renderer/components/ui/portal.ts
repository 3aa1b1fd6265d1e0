import { useLayoutEffect, useRef, useState } from 'react';

/**
 * Where a popup list goes: inside the modal <dialog> the control sits in, if any. A modal dialog
 * makes the rest of the page inert, so a list put on document.body (React Aria's default) could
 * be seen but not clicked.
 */
export function usePortalContainer<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  const [container, setContainer] = useState<Element | undefined>(undefined);
  useLayoutEffect(() => setContainer(ref.current?.closest('dialog') ?? undefined), []);
  return { ref, container };
}
