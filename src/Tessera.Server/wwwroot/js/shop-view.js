// Products, the cart and the orders.
import { h, replaceChildren, money, localTime } from './dom.js';

export function renderProducts(list, products, onAdd) {
  replaceChildren(list, products.map((p) => h('li', { class: 'card' },
    h('p', {}, h('strong', {}, p.name), ' ', money(p.priceCents, p.currency)),
    h('button', { type: 'button', 'aria-label': `Add to cart: ${p.name}`, dataset: { productId: p.id }, onclick: () => onAdd(p) }, 'Add to cart'))));
}

export function renderCart(container, cart) {
  if (!cart || cart.items.length === 0) {
    replaceChildren(container, h('p', { class: 'hint', id: 'cart-empty' }, 'The cart is empty.'));
    return;
  }
  replaceChildren(container, h('table', { id: 'cart-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Item'), h('th', { scope: 'col' }, 'Quantity'), h('th', { scope: 'col' }, 'Total'))),
    h('tbody', {}, cart.items.map((line) => h('tr', {}, h('td', {}, line.name), h('td', {}, String(line.quantity)), h('td', {}, money(line.lineTotalCents, cart.currency))))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 2 }, 'Total'), h('td', { id: 'cart-total' }, money(cart.totalCents, cart.currency))))));
}

export function renderOrders(list, orders) {
  replaceChildren(list, orders.map((o) => h('li', { dataset: { orderId: o.id } },
    `${localTime(o.createdAt)}: ${o.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')} · `, h('strong', {}, money(o.totalCents, o.currency)))));
}
