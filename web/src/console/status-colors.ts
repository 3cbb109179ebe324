/** Tag colours of order states in the consoles. */
export const STATUS_COLORS: Record<string, string> = {
  pending_payment: 'orange',
  paid: 'blue',
  shipped: 'cyan',
  delivered: 'geekblue',
  completed: 'green',
  cancelled: 'default',
  expired: 'default',
};
