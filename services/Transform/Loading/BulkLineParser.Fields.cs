using System.Text;
using System.Text.Json;

namespace GrowthOs.Transform.Loading;

public static partial class BulkLineParser
{
    /// <summary>
    /// Where a value lies in the line (its UTF-8 bytes, without quotes), or its unescaped copy when the line escapes it;
    /// default when the field is missing or null.
    /// </summary>
    private readonly record struct Slice(int Start, int Length, byte[]? Unescaped = null)
    {
        public bool IsEmpty => Length == 0;

        public ReadOnlySpan<byte> In(ReadOnlySpan<byte> line) => Unescaped ?? line.Slice(Start, Length);
    }

    /// <summary>A <c>MoneyBag</c>'s two amounts, as the raw text of the line.</summary>
    private struct MoneyBag
    {
        public bool Present;
        public Slice ShopAmount, ShopCurrency, PresentmentAmount, PresentmentCurrency;
        public bool HasShop, HasPresentment;

        public void Read(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null) return;
            Expect(ref reader, JsonTokenType.StartObject);
            Present = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                reader.Read();
                if (name.SequenceEqual("shopMoney"u8)) HasShop = ReadMoney(ref reader, out ShopAmount, out ShopCurrency);
                else if (name.SequenceEqual("presentmentMoney"u8)) HasPresentment = ReadMoney(ref reader, out PresentmentAmount, out PresentmentCurrency);
                else reader.Skip();
            }
        }
    }

    /// <summary>The fields of one line, as spans of the line itself; only what a record keeps becomes a string.</summary>
    private partial struct LineFields
    {
        public Slice TypeName, Id, ParentId;
        private Slice _name, _title, _sku, _vendor, _sourceName, _financialStatus, _fulfillmentStatus, _currencyCode,
            _presentmentCurrencyCode, _productType, _status, _state, _price, _createdAt, _updatedAt, _processedAt, _cancelledAt,
            _customerId, _productId, _variantId, _inventoryItemId, _locationId, _emailAddress, _emailSha256;
        private bool _test;
        private int? _quantity, _currentQuantity, _inventoryQuantity, _available;
        private long? _numberOfOrders;
        private MoneyBag _subtotal, _total, _totalDiscounts, _totalTax, _totalShipping, _totalRefunded, _unitPrice, _lineDiscount;
        private Slice _amountSpent, _amountSpentCurrency, _unitCost, _unitCostCurrency;
        private List<RawRefund>? _refunds;
        private List<RawFulfillment>? _fulfillments;
        private List<RawFee>? _fees;
        private List<string>? _discountCodes;

        public void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                reader.Read();
                if (name.SequenceEqual("id"u8)) Id = String(ref reader);
                else if (name.SequenceEqual("__typename"u8)) TypeName = String(ref reader);
                else if (name.SequenceEqual("__parentId"u8)) ParentId = String(ref reader);
                else if (name.SequenceEqual("createdAt"u8)) _createdAt = String(ref reader);
                else if (name.SequenceEqual("updatedAt"u8)) _updatedAt = String(ref reader);
                else if (name.SequenceEqual("originalUnitPriceSet"u8)) _unitPrice.Read(ref reader);
                else if (name.SequenceEqual("totalDiscountSet"u8)) _lineDiscount.Read(ref reader);
                else if (name.SequenceEqual("quantity"u8)) _quantity = Int(ref reader);
                else if (name.SequenceEqual("currentQuantity"u8)) _currentQuantity = Int(ref reader);
                else if (name.SequenceEqual("sku"u8)) _sku = String(ref reader);
                else if (name.SequenceEqual("title"u8)) _title = String(ref reader);
                else if (name.SequenceEqual("vendor"u8)) _vendor = String(ref reader);
                else if (name.SequenceEqual("product"u8)) _productId = ReferenceId(ref reader);
                else if (name.SequenceEqual("variant"u8)) _variantId = ReferenceId(ref reader);
                else if (name.SequenceEqual("name"u8)) _name = String(ref reader);
                else if (name.SequenceEqual("processedAt"u8)) _processedAt = String(ref reader);
                else if (name.SequenceEqual("cancelledAt"u8)) _cancelledAt = String(ref reader);
                else if (name.SequenceEqual("test"u8)) { _test = reader.TokenType == JsonTokenType.True; reader.Skip(); }
                else if (name.SequenceEqual("sourceName"u8)) _sourceName = String(ref reader);
                else if (name.SequenceEqual("displayFinancialStatus"u8)) _financialStatus = String(ref reader);
                else if (name.SequenceEqual("displayFulfillmentStatus"u8)) _fulfillmentStatus = String(ref reader);
                else if (name.SequenceEqual("currencyCode"u8)) _currencyCode = String(ref reader);
                else if (name.SequenceEqual("presentmentCurrencyCode"u8)) _presentmentCurrencyCode = String(ref reader);
                else if (name.SequenceEqual("customer"u8)) _customerId = ReferenceId(ref reader);
                else if (name.SequenceEqual("subtotalPriceSet"u8)) _subtotal.Read(ref reader);
                else if (name.SequenceEqual("totalPriceSet"u8)) _total.Read(ref reader);
                else if (name.SequenceEqual("totalDiscountsSet"u8)) _totalDiscounts.Read(ref reader);
                else if (name.SequenceEqual("totalTaxSet"u8)) _totalTax.Read(ref reader);
                else if (name.SequenceEqual("totalShippingPriceSet"u8)) _totalShipping.Read(ref reader);
                else if (name.SequenceEqual("totalRefundedSet"u8)) _totalRefunded.Read(ref reader);
                else if (name.SequenceEqual("refunds"u8)) _refunds = ReadRefunds(ref reader, line);
                else if (name.SequenceEqual("fulfillments"u8)) _fulfillments = ReadFulfillments(ref reader, line);
                else if (name.SequenceEqual("transactions"u8)) _fees = ReadTransactionFees(ref reader, line);
                else if (name.SequenceEqual("discountCodes"u8)) _discountCodes = ReadStrings(ref reader, line);
                else if (name.SequenceEqual("productType"u8)) _productType = String(ref reader);
                else if (name.SequenceEqual("status"u8)) _status = String(ref reader);
                else if (name.SequenceEqual("state"u8)) _state = String(ref reader);
                else if (name.SequenceEqual("price"u8)) _price = String(ref reader);
                else if (name.SequenceEqual("inventoryQuantity"u8)) _inventoryQuantity = Int(ref reader);
                else if (name.SequenceEqual("inventoryItem"u8)) _inventoryItemId = ReferenceId(ref reader);
                else if (name.SequenceEqual("location"u8)) _locationId = ReferenceId(ref reader);
                else if (name.SequenceEqual("quantities"u8)) _available = ReadAvailable(ref reader);
                else if (name.SequenceEqual("numberOfOrders"u8)) _numberOfOrders = UnsignedInt64(ref reader);
                else if (name.SequenceEqual("amountSpent"u8)) ReadMoney(ref reader, out _amountSpent, out _amountSpentCurrency);
                else if (name.SequenceEqual("unitCost"u8)) ReadMoney(ref reader, out _unitCost, out _unitCostCurrency);
                else if (name.SequenceEqual("defaultEmailAddress"u8)) ReadEmail(ref reader, out _emailAddress, out _emailSha256);
                else reader.Skip();
            }
        }
    }

    private static List<RawRefund>? ReadRefunds(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray);
        var refunds = new List<RawRefund>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Slice id = default, createdAt = default;
            var amount = new MoneyBag();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                reader.Read();
                if (name.SequenceEqual("id"u8)) id = String(ref reader);
                else if (name.SequenceEqual("createdAt"u8)) createdAt = String(ref reader);
                else if (name.SequenceEqual("totalRefundedSet"u8)) amount.Read(ref reader);
                else reader.Skip();
            }
            refunds.Add(new RawRefund(GidNumber(id.In(line), "gid://shopify/Refund/"u8), Timestamp(createdAt.In(line), "refunds.createdAt"),
                amount.HasShop ? Encoding.UTF8.GetString(amount.ShopAmount.In(line)) : null,
                amount.HasShop ? Text.OfNullable(amount.ShopCurrency.In(line)) : null));
        }
        return refunds;
    }

    private static List<RawFulfillment>? ReadFulfillments(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray);
        var fulfillments = new List<RawFulfillment>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Slice id = default, status = default, createdAt = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                reader.Read();
                if (name.SequenceEqual("id"u8)) id = String(ref reader);
                else if (name.SequenceEqual("status"u8)) status = String(ref reader);
                else if (name.SequenceEqual("createdAt"u8)) createdAt = String(ref reader);
                else reader.Skip();
            }
            fulfillments.Add(new RawFulfillment(GidNumber(id.In(line), "gid://shopify/Fulfillment/"u8), Text.OfNullable(status.In(line)),
                Timestamp(createdAt.In(line), "fulfillments.createdAt")));
        }
        return fulfillments;
    }

    /// <summary>
    /// The fees of an order's transactions (<c>transactions { status fees { amount { amount currencyCode } } }</c>): each
    /// fee of a transaction that succeeded (or whose status is not given); a failed, pending or erred transaction was not
    /// charged. Null when the line carries no transactions.
    /// </summary>
    private static List<RawFee>? ReadTransactionFees(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray);
        var fees = new List<RawFee>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Slice status = default;
            var charged = new List<RawFee>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                reader.Read();
                if (name.SequenceEqual("status"u8)) status = String(ref reader);
                else if (name.SequenceEqual("fees"u8) && reader.TokenType != JsonTokenType.Null)
                {
                    Expect(ref reader, JsonTokenType.StartArray);
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        Slice amount = default, currency = default;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var field = PropertyName(ref reader);
                            reader.Read();
                            if (field.SequenceEqual("amount"u8)) ReadMoney(ref reader, out amount, out currency);
                            else reader.Skip();
                        }
                        charged.Add(new RawFee(amount.IsEmpty ? null : Encoding.UTF8.GetString(amount.In(line)), Text.OfNullable(currency.In(line))));
                    }
                }
                else reader.Skip();
            }
            if (status.IsEmpty || Ascii.EqualsIgnoreCase(status.In(line), "SUCCESS"u8)) fees.AddRange(charged);
        }
        return fees;
    }

    /// <summary>A list of strings (<c>discountCodes</c>), each once, in its order; null when the line carries none.</summary>
    private static List<string>? ReadStrings(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray);
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var value = String(ref reader);
            if (!value.IsEmpty && Text.Of(value.In(line)) is var text && !values.Contains(text)) values.Add(text);
        }
        return values;
    }
}
