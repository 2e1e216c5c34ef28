/**
 * The units this organisation counts in besides the catalogue's base units: people, payment
 * transactions (and PostgreSQL's), and money in units of its currency.
 */
declare module '@o11y/catalog' {
  interface CustomUnits {
    users: true;
    transactions: true;
    currency: true;
  }
}

export {};
