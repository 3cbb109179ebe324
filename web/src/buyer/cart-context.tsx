import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, type Cart } from '../api.ts';
import { useSession } from '../shared/session.tsx';

interface CartCtx {
  count: number;
  refresh: () => Promise<Cart | null>;
  setCart: (cart: Cart) => void;
}

const Ctx = createContext<CartCtx>({ count: 0, refresh: async () => null, setCart: () => {} });

const countOf = (cart: Cart) => cart.lines.reduce((n, l) => n + l.quantity, 0);

/** The cart badge: refreshed after sign-in and after every cart change. */
export function CartProvider({ children }: { children: ReactNode }) {
  const { account } = useSession();
  const [count, setCount] = useState(0);
  const refresh = useCallback(async () => {
    if (account?.role !== 'buyer') {
      setCount(0);
      return null;
    }
    try {
      const cart = await api.get('/cart');
      setCount(countOf(cart));
      return cart;
    } catch {
      return null;
    }
  }, [account]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const setCart = useCallback((cart: Cart) => setCount(countOf(cart)), []);
  return <Ctx.Provider value={{ count, refresh, setCart }}>{children}</Ctx.Provider>;
}

export const useCart = () => useContext(Ctx);
export const useCartCount = () => useContext(Ctx).count;
