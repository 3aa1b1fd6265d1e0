// The fixed words on slips, in English and Spanish. Kept apart from the screen's translations
// for now; the words are plain strings so they can move into the shared i18n set unchanged.
export const SLIP_LANGUAGES = ['en', 'es'] as const;
export type SlipLanguage = (typeof SLIP_LANGUAGES)[number];

export interface SlipWords {
  checkout: string;
  checkin: string;
  hold: string;
  transit: string;
  payment: string;
  patron: string;
  pickupAt: string;
  keepUntil: string;
  sendTo: string;
  from: string;
  holdFor: string;
  paid: string;
  tendered: string;
  change: string;
  remaining: string;
  paidBy: string;
  reference: string;
  methods: Record<'cash' | 'card' | 'cheque' | 'other', string>;
  thanks: string;
  testPrint: string;
  date: string;
  due: string;
  items: (n: number) => string;
  ill: string;
  illLend: string;
  illReturn: string;
  illRequest: string;
  illDueBack: string;
}

export const SLIP_WORDS: Record<SlipLanguage, SlipWords> = {
  en: {
    checkout: 'Items borrowed',
    checkin: 'Items returned',
    hold: 'HOLD',
    transit: 'TRANSIT',
    payment: 'Payment receipt',
    patron: 'Patron',
    pickupAt: 'Pick up at',
    keepUntil: 'On the shelf until',
    sendTo: 'Send to',
    from: 'From',
    holdFor: 'Hold for',
    paid: 'Paid',
    tendered: 'Tendered',
    change: 'Change',
    remaining: 'Still owed',
    paidBy: 'Paid by',
    reference: 'Reference',
    methods: { cash: 'Cash', card: 'Card', cheque: 'Cheque', other: 'Other' },
    thanks: 'Thank you!',
    testPrint: 'Test print',
    date: 'Date',
    due: 'Due',
    items: (n) => (n === 1 ? '1 item' : `${n} items`),
    ill: 'INTERLIBRARY LOAN',
    illLend: 'Loan to your library',
    illReturn: 'Returned to the lender',
    illRequest: 'Request',
    illDueBack: 'Due back',
  },
  es: {
    checkout: 'Préstamos',
    checkin: 'Devoluciones',
    hold: 'RESERVA',
    transit: 'TRÁNSITO',
    payment: 'Recibo de pago',
    patron: 'Lector',
    pickupAt: 'Recoger en',
    keepUntil: 'En el estante hasta',
    sendTo: 'Enviar a',
    from: 'Desde',
    holdFor: 'Reservado para',
    paid: 'Pagado',
    tendered: 'Entregado',
    change: 'Cambio',
    remaining: 'Pendiente',
    paidBy: 'Forma de pago',
    reference: 'Referencia',
    methods: { cash: 'Efectivo', card: 'Tarjeta', cheque: 'Cheque', other: 'Otro' },
    thanks: '¡Gracias!',
    testPrint: 'Prueba de impresión',
    date: 'Fecha',
    due: 'Vence',
    items: (n) => (n === 1 ? '1 ejemplar' : `${n} ejemplares`),
    ill: 'PRÉSTAMO INTERBIBLIOTECARIO',
    illLend: 'Préstamo a su biblioteca',
    illReturn: 'Devolución a la biblioteca prestadora',
    illRequest: 'Solicitud',
    illDueBack: 'Devolver antes del',
  },
};

export const slipWords = (language: string): SlipWords =>
  SLIP_WORDS[(SLIP_LANGUAGES as readonly string[]).includes(language) ? (language as SlipLanguage) : 'en'];
