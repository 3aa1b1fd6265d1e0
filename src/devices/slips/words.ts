// The fixed words on slips, in English and Spanish.
export const SLIP_WORDS = {
  en: {
    checkout: 'Items borrowed', checkin: 'Items returned', hold: 'HOLD', transit: 'TRANSIT', payment: 'Payment receipt',
    patron: 'Patron', pickupAt: 'Pick up at', keepUntil: 'On the shelf until', sendTo: 'Send to', paid: 'Paid', tendered: 'Tendered',
    change: 'Change', remaining: 'Still owed', thanks: 'Thank you!', testPrint: 'Test print', date: 'Date',
  },
  es: {
    checkout: 'Préstamos', checkin: 'Devoluciones', hold: 'RESERVA', transit: 'TRÁNSITO', payment: 'Recibo de pago',
    patron: 'Lector', pickupAt: 'Recoger en', keepUntil: 'En el estante hasta', sendTo: 'Enviar a', paid: 'Pagado', tendered: 'Entregado',
    change: 'Cambio', remaining: 'Pendiente', thanks: '¡Gracias!', testPrint: 'Prueba de impresión', date: 'Fecha',
  },
} as const;

export type SlipLanguage = keyof typeof SLIP_WORDS;
