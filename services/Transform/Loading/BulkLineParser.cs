using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// Reads one line of a Shopify bulk file in a single forward pass (<see cref="Utf8JsonReader"/>, no document): the
/// fields are picked up as they come, whatever their order, and the record is built once the line is read. The kind
/// of record comes from <c>__typename</c> (or, for older files, from the GID), and a child names its parent in
/// <c>__parentId</c>: nothing assumes a child follows its parent. A line that is JSON but not a valid record is
/// rejected with its reason; a line that is not JSON throws with its line number.
/// </summary>
public static class BulkLineParser
{
    public abstract record Result;
    public sealed record Order(OrderRecord Record) : Result;
    public sealed record LineItem(LineItemRecord Record) : Result;
    public sealed record Product(ProductRecord Record) : Result;
    public sealed record Variant(VariantRecord Record) : Result;
    public sealed record InventoryItem(InventoryItemRecord Record) : Result;
    public sealed record InventoryLevel(InventoryLevelRecord Record) : Result;
    public sealed record Customer(CustomerRecord Record) : Result;
    public sealed record Rejected(RejectedRecord Record) : Result;
    public sealed record Skipped : Result;

    private static readonly Skipped SkippedLine = new();

    public static Result Parse(ReadOnlySpan<byte> line, long lineNumber)
    {
        var fields = new LineFields();
        string? type;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new MalformedLineException(lineNumber, "a line must hold one JSON object.");
            fields.Read(ref reader, line);
            if (reader.Read()) throw new MalformedLineException(lineNumber, "a line must hold one JSON object and nothing after it.");
            type = fields.TypeName.IsEmpty ? TypeFromGid(fields.Id.In(line)) : Text.Of(fields.TypeName.In(line));
        }
        catch (JsonException exception)
        {
            throw new MalformedLineException(lineNumber, exception.Message);
        }
        catch (InvalidRecordException exception)
        {
            return new Rejected(new RejectedRecord(lineNumber, Text.OfNullable(fields.TypeName.In(line)), NullableText(fields.Id.In(line)), exception.Message));
        }

        try
        {
            return type switch
            {
                "Order" => new Order(fields.ToOrder(line)),
                "LineItem" => new LineItem(fields.ToLineItem(line)),
                "Product" => new Product(fields.ToProduct(line)),
                "ProductVariant" => new Variant(fields.ToVariant(line)),
                "InventoryItem" => new InventoryItem(fields.ToInventoryItem(line)),
                "InventoryLevel" => new InventoryLevel(fields.ToInventoryLevel(line)),
                "Customer" => new Customer(fields.ToCustomer(line)),
                _ => SkippedLine,
            };
        }
        catch (InvalidRecordException exception)
        {
            return new Rejected(new RejectedRecord(lineNumber, type, NullableText(fields.Id.In(line)), exception.Message));
        }
    }

    private static string? NullableText(ReadOnlySpan<byte> value) => value.IsEmpty ? null : Encoding.UTF8.GetString(value);

    private static string? TypeFromGid(ReadOnlySpan<byte> gid)
    {
        if (!gid.StartsWith("gid://shopify/"u8)) return null;
        var tail = gid["gid://shopify/"u8.Length..];
        var slash = tail.IndexOf((byte)'/');
        return slash > 0 ? Encoding.UTF8.GetString(tail[..slash]) : null;
    }

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
    private struct LineFields
    {
        public Slice TypeName, Id, ParentId;
        private Slice _name, _title, _sku, _vendor, _sourceName, _financialStatus, _fulfillmentStatus, _currencyCode,
            _presentmentCurrencyCode, _productType, _status, _state, _price, _createdAt, _updatedAt, _processedAt, _cancelledAt,
            _customerId, _productId, _variantId, _inventoryItemId, _locationId, _emailAddress, _emailSha256;
        private bool _test;
        private int? _quantity, _currentQuantity, _inventoryQuantity, _available;
        private long? _numberOfOrders;
        private MoneyBag _subtotal, _total, _totalDiscounts, _totalTax, _totalShipping, _totalRefunded, _unitPrice, _lineDiscount;
        private Slice _amountSpent, _amountSpentCurrency;
        private List<RawRefund>? _refunds;
        private List<RawFulfillment>? _fulfillments;

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
                else if (name.SequenceEqual("defaultEmailAddress"u8)) ReadEmail(ref reader, out _emailAddress, out _emailSha256);
                else reader.Skip();
            }
        }

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
                Fulfillments: _fulfillments is null ? [] : _fulfillments.Select(f => f.ToRecord(orderId, updatedAt)).ToList());
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
                OrderId: GidNumber(ParentId.In(line), "gid://shopify/Order/"u8) ?? throw new InvalidRecordException("__parentId is missing or not an Order GID."),
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
                VariantId: GidNumber(Id.In(line), "gid://shopify/ProductVariant/"u8) ?? throw new InvalidRecordException("id is missing or not a ProductVariant GID."),
                ProductId: GidNumber(ParentId.In(line), "gid://shopify/Product/"u8) ?? throw new InvalidRecordException("__parentId is missing or not a Product GID."),
                Sku: Text.NewOrNull(_sku.In(line)),
                Title: Text.NewOrNull(_title.In(line)),
                Price: _price.IsEmpty ? null : ValidAmount(_price.In(line), "price"),
                InventoryQuantity: _inventoryQuantity,
                InventoryItemId: GidNumber(_inventoryItemId.In(line), "gid://shopify/InventoryItem/"u8),
                UpdatedAt: Timestamp(_updatedAt.In(line), "updatedAt"));

        public readonly InventoryItemRecord ToInventoryItem(ReadOnlySpan<byte> line) => new(
            InventoryItemId: GidNumber(Id.In(line), "gid://shopify/InventoryItem/"u8) ?? throw new InvalidRecordException("id is missing or not an InventoryItem GID."),
            VariantId: GidNumber(_variantId.In(line), "gid://shopify/ProductVariant/"u8),
            Sku: Text.NewOrNull(_sku.In(line)),
            UpdatedAt: Timestamp(_updatedAt.In(line), "updatedAt"));

        public readonly InventoryLevelRecord ToInventoryLevel(ReadOnlySpan<byte> line) => new(
            InventoryItemId: GidNumber(ParentId.In(line), "gid://shopify/InventoryItem/"u8) ?? throw new InvalidRecordException("__parentId is missing or not an InventoryItem GID."),
            LocationId: GidNumber(_locationId.In(line), "gid://shopify/Location/"u8) ?? throw new InvalidRecordException("location.id is missing or not a Location GID."),
            Available: _available ?? throw new InvalidRecordException("quantities has no 'available' quantity."),
            UpdatedAt: Timestamp(_updatedAt.In(line), "updatedAt"));

        public readonly CustomerRecord ToCustomer(ReadOnlySpan<byte> line)
        {
            var currency = _amountSpentCurrency.IsEmpty ? null : Text.Of(_amountSpentCurrency.In(line));
            long spent = 0;
            if (!_amountSpent.IsEmpty && (currency is null || !Money.TryToMinorUnits(_amountSpent.In(line), currency, out spent)))
                throw new InvalidRecordException($"amountSpent '{Encoding.UTF8.GetString(_amountSpent.In(line))}' is not a valid {currency ?? "money"} amount.");
            return new CustomerRecord(
                CustomerId: GidNumber(Id.In(line), "gid://shopify/Customer/"u8) ?? throw new InvalidRecordException("id is missing or not a Customer GID."),
                CreatedAt: RequiredTimestamp(_createdAt.In(line), "createdAt"),
                UpdatedAt: RequiredTimestamp(_updatedAt.In(line), "updatedAt"),
                NumberOfOrders: _numberOfOrders ?? 0,
                AmountSpentMinor: spent,
                CurrencyCode: currency,
                State: Text.OfNullable(_state.In(line)),
                // A plain address that reached this far is hashed here too: it is never stored.
                EmailSha256: !_emailSha256.IsEmpty ? Text.New(_emailSha256.In(line)) : _emailAddress.IsEmpty ? null : Sha256(_emailAddress.In(line)));
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

    private readonly record struct RawFulfillment(long? Id, string? Status, DateTimeOffset? CreatedAt)
    {
        public FulfillmentRecord ToRecord(long orderId, DateTimeOffset orderUpdatedAt) => new(
            Id ?? throw new InvalidRecordException("a fulfillment's id is missing or not a Fulfillment GID."),
            orderId,
            Status,
            CreatedAt ?? throw new InvalidRecordException("a fulfillment's createdAt is missing."),
            orderUpdatedAt);
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
                amount.HasShop ? Encoding.UTF8.GetString(amount.ShopAmount.In(line)) : null, amount.HasShop ? Text.OfNullable(amount.ShopCurrency.In(line)) : null));
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

    /// <summary>The <c>available</c> quantity of an inventory level's <c>quantities(names: ["available"])</c>.</summary>
    private static int? ReadAvailable(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartArray);
        int? available = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var isAvailable = false;
            int? quantity = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                reader.Read();
                if (name.SequenceEqual("name"u8)) { isAvailable = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("available"u8); reader.Skip(); }
                else if (name.SequenceEqual("quantity"u8)) quantity = Int(ref reader);
                else reader.Skip();
            }
            if (isAvailable) available = quantity;
        }
        return available;
    }

    private static void ReadEmail(ref Utf8JsonReader reader, out Slice plain, out Slice sha256)
    {
        plain = sha256 = default;
        if (reader.TokenType == JsonTokenType.Null) return;
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (name.SequenceEqual("emailAddressSha256"u8)) sha256 = String(ref reader);
            else if (name.SequenceEqual("emailAddress"u8)) plain = String(ref reader);
            else reader.Skip();
        }
    }

    private static bool ReadMoney(ref Utf8JsonReader reader, out Slice amount, out Slice currency)
    {
        amount = currency = default;
        if (reader.TokenType == JsonTokenType.Null) return false;
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (name.SequenceEqual("amount"u8)) amount = reader.TokenType == JsonTokenType.Number ? new Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length) : String(ref reader);
            else if (name.SequenceEqual("currencyCode"u8)) currency = String(ref reader);
            else reader.Skip();
        }
        return true;
    }

    /// <summary>The <c>id</c> of a reference such as <c>customer { id }</c>.</summary>
    private static Slice ReferenceId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return default;
        Expect(ref reader, JsonTokenType.StartObject);
        Slice id = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (name.SequenceEqual("id"u8)) id = String(ref reader);
            else reader.Skip();
        }
        return id;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            var found = reader.TokenType;
            reader.Skip();
            throw new InvalidRecordException($"expected {type} but found {found}.");
        }
    }

    private static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader) => reader.ValueIsEscaped ? Unescaped(ref reader) : reader.ValueSpan;

    /// <summary>Where a string value lies (unescaped); empty for null. Any other token is not a string field.</summary>
    private static Slice String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String when reader.ValueIsEscaped => new Slice(0, reader.ValueSpan.Length, Unescaped(ref reader)),
        JsonTokenType.String => new Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length),
        JsonTokenType.Null => default,
        _ => throw new InvalidRecordException($"a {reader.TokenType} where a string was expected."),
    };

    private static byte[] Unescaped(ref Utf8JsonReader reader)
    {
        var buffer = new byte[reader.ValueSpan.Length];
        return buffer.AsSpan(0, reader.CopyString(buffer)).ToArray();
    }

    private static int? Int(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var number) => number,
        JsonTokenType.Null => null,
        _ => throw new InvalidRecordException($"a {reader.TokenType} where a whole number was expected."),
    };

    /// <summary>Shopify writes UnsignedInt64 as a string; a number is accepted too.</summary>
    private static long? UnsignedInt64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var number) && number >= 0 => number,
        JsonTokenType.String when Utf8Parser.TryParse(reader.ValueSpan, out long number, out var consumed) && consumed == reader.ValueSpan.Length && number >= 0 => number,
        JsonTokenType.Null => null,
        _ => throw new InvalidRecordException("an UnsignedInt64 that is not a whole number."),
    };

    private static long ShopMoney(in MoneyBag bag, ReadOnlySpan<byte> line, string name, string currency, bool required)
    {
        if (!bag.HasShop) return required ? throw new InvalidRecordException($"{name}.shopMoney is missing.") : 0;
        return Amount(bag.ShopAmount.In(line), bag.ShopCurrency.In(line), name, currency);
    }

    private static long PresentmentMoney(in MoneyBag bag, ReadOnlySpan<byte> line, string name, string currency) =>
        bag.HasPresentment
            ? Amount(bag.PresentmentAmount.In(line), bag.PresentmentCurrency.In(line), name, bag.PresentmentCurrency.IsEmpty ? currency : Text.Of(bag.PresentmentCurrency.In(line)))
            : 0;

    private static long Amount(ReadOnlySpan<byte> amount, ReadOnlySpan<byte> code, string name, string currency)
    {
        if (!code.IsEmpty && !Ascii.EqualsIgnoreCase(code, currency))
            throw new InvalidRecordException($"{name} is in {Encoding.UTF8.GetString(code)}, expected {currency}.");
        return Money.TryToMinorUnits(amount, currency, out var minor)
            ? minor
            : throw new InvalidRecordException($"{name} amount '{Encoding.UTF8.GetString(amount)}' is not a valid {currency} amount.");
    }

    /// <summary>A decimal amount kept as text, checked to be one (its currency is not known yet).</summary>
    private static string ValidAmount(ReadOnlySpan<byte> amount, string name) =>
        Money.TryToMinorUnits(amount, "XTS", out _) || Money.TryToMinorUnits(amount, "BHD", out _)
            ? Encoding.UTF8.GetString(amount)
            : throw new InvalidRecordException($"{name} '{Encoding.UTF8.GetString(amount)}' is not an amount.");

    private static string Required(ReadOnlySpan<byte> value, string name) =>
        value.IsEmpty ? throw new InvalidRecordException($"{name} is missing.") : Text.Of(value);

    private static DateTimeOffset RequiredTimestamp(ReadOnlySpan<byte> value, string name) =>
        Timestamp(value, name) ?? throw new InvalidRecordException($"{name} is missing.");

    /// <summary>ISO 8601 as Shopify writes it (<c>2026-11-01T23:59:59Z</c>) read directly; any other valid form through the general parser. Always UTC.</summary>
    private static DateTimeOffset? Timestamp(ReadOnlySpan<byte> value, string name)
    {
        if (value.IsEmpty) return null;
        if (value.Length == 20 && value[19] == (byte)'Z' && value[4] == (byte)'-' && value[7] == (byte)'-' && value[10] == (byte)'T'
            && value[13] == (byte)':' && value[16] == (byte)':'
            && Digits(value, 0, 4, out var year) && Digits(value, 5, 2, out var month) && Digits(value, 8, 2, out var day)
            && Digits(value, 11, 2, out var hour) && Digits(value, 14, 2, out var minute) && Digits(value, 17, 2, out var second)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year == 0 ? 1 : year, month) && hour < 24 && minute < 60 && second < 60 && year > 0)
            return new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        var text = Encoding.UTF8.GetString(value);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : throw new InvalidRecordException($"{name} '{text}' is not a timestamp.");
    }

    private static bool Digits(ReadOnlySpan<byte> value, int start, int length, out int number)
    {
        number = 0;
        for (var i = start; i < start + length; i++)
        {
            var digit = value[i] - (byte)'0';
            if ((uint)digit > 9) return false;
            number = number * 10 + digit;
        }
        return true;
    }

    /// <summary>The number of a GID such as <c>gid://shopify/Order/123</c> (a <c>?query</c> after it is ignored), read without allocating.</summary>
    private static long? GidNumber(ReadOnlySpan<byte> gid, ReadOnlySpan<byte> prefix)
    {
        if (!gid.StartsWith(prefix)) return null;
        var tail = gid[prefix.Length..];
        var query = tail.IndexOf((byte)'?');
        if (query >= 0) tail = tail[..query];
        return tail.Length > 0 && Utf8Parser.TryParse(tail, out long number, out var consumed) && consumed == tail.Length && number >= 0 ? number : null;
    }

    private static string Sha256(ReadOnlySpan<byte> email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(email).Trim().ToLowerInvariant())));

    /// <summary>
    /// Strings of few distinct values (currency codes, statuses, channels, vendors) are shared rather than allocated per
    /// line; other text is allocated.
    /// </summary>
    private static class Text
    {
        private const int Capacity = 256;
        [ThreadStatic] private static Dictionary<int, string[]>? _shared;

        public static string Of(ReadOnlySpan<byte> value)
        {
            if (value.Length > 32) return Encoding.UTF8.GetString(value);
            var shared = _shared ??= new Dictionary<int, string[]>();
            var hash = HashOf(value);
            if (shared.TryGetValue(hash, out var candidates))
                foreach (var candidate in candidates)
                    if (Matches(candidate, value)) return candidate;
            var text = Encoding.UTF8.GetString(value);
            if (shared.Count < Capacity) shared[hash] = candidates is null ? [text] : [.. candidates, text];
            return text;
        }

        public static string? OfNullable(ReadOnlySpan<byte> value) => value.IsEmpty ? null : Of(value);

        public static string New(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);

        public static string? NewOrNull(ReadOnlySpan<byte> value) => value.IsEmpty ? null : Encoding.UTF8.GetString(value);

        private static int HashOf(ReadOnlySpan<byte> value)
        {
            var hash = new HashCode();
            hash.AddBytes(value);
            return hash.ToHashCode();
        }

        private static bool Matches(string candidate, ReadOnlySpan<byte> value)
        {
            if (candidate.Length != value.Length) return false;
            for (var i = 0; i < value.Length; i++)
                if (candidate[i] != value[i]) return false;
            return true;
        }
    }

    private sealed class InvalidRecordException(string message) : Exception(message);
}
