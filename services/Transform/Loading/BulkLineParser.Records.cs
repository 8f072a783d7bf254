using System.Text;
using GrowthOs.ServiceDefaults.Privacy;

namespace GrowthOs.Transform.Loading;

public static partial class BulkLineParser
{
    /// <summary>The records a line's fields make, each checked as it is built.</summary>
    private partial struct LineFields
    {
        public readonly OrderRecord ToOrder(ReadOnlySpan<byte> line)
        {
            var orderId = GidNumber(Id.In(line), "gid://shopify/Order/"u8) ?? throw new InvalidRecordException("id is missing or not an Order GID.");
            var currency = Required(_currencyCode.In(line), "currencyCode");
            var updatedAt = RequiredTimestamp(_updatedAt.In(line), "updatedAt");
            var presentment = _presentmentCurrencyCode.IsEmpty ? currency : Text.Of(_presentmentCurrencyCode.In(line));
            return new OrderRecord(
                OrderId: orderId,
                Name: _name.IsEmpty ? throw new InvalidRecordException("name is missing.") : Text.New(_name.In(line)),
                CreatedAt: RequiredTimestamp(_createdAt.In(line), "createdAt"),
                UpdatedAt: updatedAt,
                ProcessedAt: Timestamp(_processedAt.In(line), "processedAt"),
                CancelledAt: Timestamp(_cancelledAt.In(line), "cancelledAt"),
                IsTest: _test,
                SourceName: Text.OfNullable(_sourceName.In(line)),
                FinancialStatus: Text.OfNullable(_financialStatus.In(line)),
                FulfillmentStatus: Text.OfNullable(_fulfillmentStatus.In(line)),
                CurrencyCode: currency,
                PresentmentCurrencyCode: presentment,
                CustomerId: GidNumber(_customerId.In(line), "gid://shopify/Customer/"u8),
                SubtotalMinor: ShopMoney(_subtotal, line, "subtotalPriceSet", currency, required: false),
                TotalMinor: ShopMoney(_total, line, "totalPriceSet", currency, required: true),
                TotalDiscountsMinor: ShopMoney(_totalDiscounts, line, "totalDiscountsSet", currency, required: false),
                TotalTaxMinor: ShopMoney(_totalTax, line, "totalTaxSet", currency, required: false),
                TotalShippingMinor: ShopMoney(_totalShipping, line, "totalShippingPriceSet", currency, required: false),
                TotalRefundedMinor: ShopMoney(_totalRefunded, line, "totalRefundedSet", currency, required: false),
                TotalPresentmentMinor: PresentmentMoney(_total, line, "totalPriceSet", presentment),
                Refunds: _refunds is null ? [] : _refunds.Select(r => r.ToRecord(orderId, currency, updatedAt)).ToList(),
                Fulfillments: _fulfillments is null ? [] : _fulfillments.Select(f => f.ToRecord(orderId, updatedAt)).ToList(),
                PaymentFeesMinor: RawFee.Total(_fees, currency),
                DiscountCodes: _discountCodes);
        }

        public readonly LineItemRecord ToLineItem(ReadOnlySpan<byte> line)
        {
            if (!_unitPrice.Present) throw new InvalidRecordException("originalUnitPriceSet is missing.");
            if (!_unitPrice.HasShop) throw new InvalidRecordException("originalUnitPriceSet.shopMoney is missing.");
            var currency = Required(_unitPrice.ShopCurrency.In(line), "currencyCode");
            var quantity = _quantity ?? throw new InvalidRecordException("quantity is missing.");
            if (quantity < 0) throw new InvalidRecordException($"quantity {quantity} is negative.");
            return new LineItemRecord(
                LineItemId: GidNumber(Id.In(line), "gid://shopify/LineItem/"u8) ?? throw new InvalidRecordException("id is missing or not a LineItem GID."),
                OrderId: GidNumber(ParentId.In(line), "gid://shopify/Order/"u8)
                    ?? throw new InvalidRecordException("__parentId is missing or not an Order GID."),
                Sku: Text.NewOrNull(_sku.In(line)),
                Title: Text.New(_title.In(line)),
                Quantity: quantity,
                CurrentQuantity: _currentQuantity ?? quantity,
                UnitPriceMinor: ShopMoney(_unitPrice, line, "originalUnitPriceSet", currency, required: true),
                TotalDiscountMinor: ShopMoney(_lineDiscount, line, "totalDiscountSet", currency, required: false),
                CurrencyCode: currency,
                ProductId: GidNumber(_productId.In(line), "gid://shopify/Product/"u8),
                VariantId: GidNumber(_variantId.In(line), "gid://shopify/ProductVariant/"u8),
                Vendor: Text.OfNullable(_vendor.In(line)));
        }

        public readonly ProductRecord ToProduct(ReadOnlySpan<byte> line) => new(
            ProductId: GidNumber(Id.In(line), "gid://shopify/Product/"u8) ?? throw new InvalidRecordException("id is missing or not a Product GID."),
            Title: _title.IsEmpty ? throw new InvalidRecordException("title is missing.") : Text.New(_title.In(line)),
            Vendor: Text.OfNullable(_vendor.In(line)),
            ProductType: Text.OfNullable(_productType.In(line)),
            Status: Text.OfNullable(_status.In(line)),
            CreatedAt: Timestamp(_createdAt.In(line), "createdAt"),
            UpdatedAt: RequiredTimestamp(_updatedAt.In(line), "updatedAt"));

        public readonly VariantRecord ToVariant(ReadOnlySpan<byte> line) =>
            new(
                VariantId: GidNumber(Id.In(line), "gid://shopify/ProductVariant/"u8)
                    ?? throw new InvalidRecordException("id is missing or not a ProductVariant GID."),
                ProductId: GidNumber(ParentId.In(line), "gid://shopify/Product/"u8)
                    ?? throw new InvalidRecordException("__parentId is missing or not a Product GID."),
                Sku: Text.NewOrNull(_sku.In(line)),
                Title: Text.NewOrNull(_title.In(line)),
                Price: _price.IsEmpty ? null : ValidAmount(_price.In(line), "price"),
                InventoryQuantity: _inventoryQuantity,
                InventoryItemId: GidNumber(_inventoryItemId.In(line), "gid://shopify/InventoryItem/"u8),
                UpdatedAt: Timestamp(_updatedAt.In(line), "updatedAt"));

        public readonly InventoryItemRecord ToInventoryItem(ReadOnlySpan<byte> line)
        {
            // A unit cost with more decimals than its currency has is rounded to the minor unit; one that is not an amount
            // is refused with the line, as any malformed money is.
            var currency = _unitCostCurrency.IsEmpty ? null : Text.Of(_unitCostCurrency.In(line));
            long? cost = null;
            if (!_unitCost.IsEmpty)
            {
                if (currency is null || !Money.TryToRoundedMinorUnits(_unitCost.In(line), currency, out var minor))
                    throw new InvalidRecordException(
                        $"unitCost '{Encoding.UTF8.GetString(_unitCost.In(line))}' is not a valid {currency ?? "money"} amount.");
                cost = minor;
            }
            return new InventoryItemRecord(
                InventoryItemId: GidNumber(Id.In(line), "gid://shopify/InventoryItem/"u8)
                    ?? throw new InvalidRecordException("id is missing or not an InventoryItem GID."),
                VariantId: GidNumber(_variantId.In(line), "gid://shopify/ProductVariant/"u8),
                Sku: Text.NewOrNull(_sku.In(line)),
                UpdatedAt: Timestamp(_updatedAt.In(line), "updatedAt"),
                UnitCostMinor: cost,
                UnitCostCurrency: cost is null ? null : currency);
        }

        public readonly InventoryLevelRecord ToInventoryLevel(ReadOnlySpan<byte> line) => new(
            InventoryItemId: GidNumber(ParentId.In(line), "gid://shopify/InventoryItem/"u8)
                ?? throw new InvalidRecordException("__parentId is missing or not an InventoryItem GID."),
            LocationId: GidNumber(_locationId.In(line), "gid://shopify/Location/"u8)
                ?? throw new InvalidRecordException("location.id is missing or not a Location GID."),
            Available: _available ?? throw new InvalidRecordException("quantities has no 'available' quantity."),
            UpdatedAt: Timestamp(_updatedAt.In(line), "updatedAt"));

        public readonly CustomerRecord ToCustomer(ReadOnlySpan<byte> line)
        {
            var currency = _amountSpentCurrency.IsEmpty ? null : Text.Of(_amountSpentCurrency.In(line));
            long spent = 0;
            if (!_amountSpent.IsEmpty && (currency is null || !Money.TryToMinorUnits(_amountSpent.In(line), currency, out spent)))
                throw new InvalidRecordException(
                    $"amountSpent '{Encoding.UTF8.GetString(_amountSpent.In(line))}' is not a valid {currency ?? "money"} amount.");
            return new CustomerRecord(
                CustomerId: GidNumber(Id.In(line), "gid://shopify/Customer/"u8) ?? throw new InvalidRecordException("id is missing or not a Customer GID."),
                CreatedAt: RequiredTimestamp(_createdAt.In(line), "createdAt"),
                UpdatedAt: RequiredTimestamp(_updatedAt.In(line), "updatedAt"),
                NumberOfOrders: _numberOfOrders ?? 0,
                AmountSpentMinor: spent,
                CurrencyCode: currency,
                State: Text.OfNullable(_state.In(line)),
                // A plain address that reached this far is hashed here too: it is never stored.
                EmailSha256: !_emailSha256.IsEmpty ? Text.New(_emailSha256.In(line)) : _emailAddress.IsEmpty ? null : EmailHash.Sha256(_emailAddress.In(line)));
        }
    }

    private readonly record struct RawRefund(long? Id, DateTimeOffset? CreatedAt, string? Amount, string? Currency)
    {
        public RefundRecord ToRecord(long orderId, string orderCurrency, DateTimeOffset orderUpdatedAt)
        {
            var currency = Currency ?? orderCurrency;
            if (!string.Equals(currency, orderCurrency, StringComparison.OrdinalIgnoreCase))
                throw new InvalidRecordException($"refund totalRefundedSet is in {currency}, expected {orderCurrency}.");
            return new RefundRecord(
                Id ?? throw new InvalidRecordException("a refund's id is missing or not a Refund GID."),
                orderId,
                CreatedAt ?? throw new InvalidRecordException("a refund's createdAt is missing."),
                Amount is not null && Money.TryToMinorUnits(Amount, currency, out var minor)
                    ? minor
                    : throw new InvalidRecordException($"refund totalRefundedSet amount '{Amount}' is not a valid {currency} amount."),
                currency,
                orderUpdatedAt);
        }
    }

    /// <summary>A fee charged on a transaction, as its text: its amount and currency.</summary>
    private readonly record struct RawFee(string? Amount, string? Currency)
    {
        /// <summary>
        /// The order's payment fees in minor units of its currency: the sum of the fees Shopify reports, or null when it
        /// reports none (a gateway whose fees Shopify does not know, or a file without transactions) or reports one in another
        /// currency, so the shop's fee rule counts it instead.
        /// </summary>
        public static long? Total(List<RawFee>? fees, string orderCurrency)
        {
            if (fees is null || fees.Count == 0) return null;
            long total = 0;
            foreach (var fee in fees)
            {
                if (fee.Currency is { } currency && !string.Equals(currency, orderCurrency, StringComparison.OrdinalIgnoreCase)) return null;
                if (fee.Amount is null || !Money.TryToMinorUnits(fee.Amount, orderCurrency, out var minor))
                    throw new InvalidRecordException($"a transaction fee's amount '{fee.Amount}' is not a valid {orderCurrency} amount.");
                total += minor;
            }
            return total;
        }
    }

    private readonly record struct RawFulfillment(long? Id, string? Status, DateTimeOffset? CreatedAt)
    {
        public FulfillmentRecord ToRecord(long orderId, DateTimeOffset orderUpdatedAt) => new(
            Id ?? throw new InvalidRecordException("a fulfillment's id is missing or not a Fulfillment GID."),
            orderId,
            Status,
            CreatedAt ?? throw new InvalidRecordException("a fulfillment's createdAt is missing."),
            orderUpdatedAt);
    }
}
