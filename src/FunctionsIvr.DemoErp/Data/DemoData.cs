namespace FunctionsIvr.DemoErp.Data;

/// <summary>
/// A building-materials wholesaler's data, dated relative to "now" so delivery dates are always ahead.
/// The table in docs/erp-middleware.md describes these callers; keep the two in step.
/// </summary>
internal static class DemoData
{
    public const int FirstNewOrderSequence = 1400;

    public static IReadOnlyList<Product> Products() =>
    [
        P("CEM-325-25", "Cement CEM II/B-S 32,5R 25 kg", "worek", 21.90m, 1200),
        P("CEM-425-25", "Cement CEM I 42,5R 25 kg", "worek", 27.50m, 600),
        P("ZAP-M10-25", "Zaprawa murarska M10 25 kg", "worek", 16.40m, 800),
        P("KLEJ-C2TE-25", "Klej do płytek C2TE 25 kg", "worek", 42.90m, 300),
        P("TYNK-GIPS-30", "Tynk gipsowy maszynowy 30 kg", "worek", 31.50m, 0),
        P("PUST-CER-25", "Pustak ceramiczny 25 P+W", "szt", 9.85m, 5000),
        P("BLOCZ-BK-24", "Bloczek z betonu komórkowego 24 cm odm. 600", "szt", 14.20m, 2400),
        P("STYRO-EPS-100", "Styropian fasadowy EPS 100-038 10 cm", "m3", 289.00m, 120),
        P("WEL-MIN-15", "Wełna mineralna szklana 15 cm", "m2", 18.60m, 900),
        P("PRET-12-B500", "Pręt żebrowany fi 12 B500SP 12 m", "szt", 54.00m, 700),
        P("PLYTA-GKB-125", "Płyta gipsowo-kartonowa GKB 12,5 mm 1200x2600", "szt", 29.90m, 450),
        P("PROF-CW50", "Profil CW 50 3 m", "szt", 13.70m, 1500),
        P("FOLIA-PAR-02", "Folia paroizolacyjna 0,2 mm 2x50 m", "rolka", 129.00m, 60),
        P("KOSTKA-HOL-6", "Kostka brukowa Holland 6 cm szara", "m2", 39.90m, 1800),
    ];

    public static IReadOnlyList<Contact> Contacts()
    {
        var zielinski = new AccountManager
        {
            Login = "am_zielinski", Name = "Piotr Zieliński", Phone = "+48602100101",
            Email = "p.zielinski@hurtbud.example", PreferredChannel = "phone",
        };
        var nowak = new AccountManager
        {
            Login = "am_nowak", Name = "Marek Nowak", Phone = "+48602300400", Email = "m.nowak@hurtbud.example",
            WhatsApp = "+48602300400", PreferredChannel = "whatsapp",
        };
        var wisniewska = new AccountManager
        {
            Login = "am_wisniewska", Name = "Anna Wiśniewska", Phone = "+48602500600", Email = "a.wisniewska@hurtbud.example",
            WhatsApp = "+48602500600", PreferredChannel = "email",
        };
        return
        [
            new Contact
            {
                Id = "c-1001", Name = "Jan Kowalski", Company = "Kowalski Budownictwo Sp. z o.o.",
                Phones = ["+48600100200", "+48225550123"], AccountManager = zielinski,
            },
            new Contact
            {
                Id = "c-1002", Name = "Katarzyna Nowicka", Company = "Nowicka Deweloper S.A.",
                Phones = ["+48601200300"], Segment = "vip", AccountManager = nowak,
            },
            new Contact
            {
                Id = "c-1003", Name = "Tomasz Wrona", Company = "Wrona Handel", Phones = ["+48603300400"],
                Blocked = true, AccountManager = zielinski,
            },
            new Contact { Id = "c-1004", Name = "Ewa Mazur", Company = "Mazur Remonty", Phones = ["+48604400500"] },
            new Contact
            {
                Id = "c-1005", Name = "Andrzej Lewandowski", Company = "Lewandowski Dachy s.c.",
                Phones = ["+48605500600"], AccountManager = wisniewska,
            },
            new Contact
            {
                Id = "c-1006", Name = "Lars Eriksson", Company = "Nordic Timber AB", Phones = ["+46701234567"],
                Language = "en", AccountManager = nowak,
            },
        ];
    }

    public static IReadOnlyList<Order> Orders(DateTimeOffset now, IReadOnlyDictionary<string, Product> products)
    {
        var sequence = 1200;
        Order O(string contactId, int daysAgo, string status, int? deliveryInDays, params (string Code, decimal Quantity)[] lines)
        {
            var created = now.AddDays(-daysAgo).Date;
            var createdAt = new DateTimeOffset(created.AddHours(9 + (sequence % 7)), TimeSpan.Zero);
            var priced = lines.Select(l => Line(products[l.Code], l.Quantity)).ToArray();
            sequence += 11;
            return new Order
            {
                Id = "o-" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Number = OrderNumber(createdAt.Year, sequence),
                ContactId = contactId,
                Status = status,
                CreatedAt = createdAt,
                Lines = priced,
                Total = priced.Sum(l => l.LineTotal),
                EstimatedDelivery = DateOnly.FromDateTime(now.AddDays(deliveryInDays ?? (2 - daysAgo)).Date),
            };
        }

        return
        [
            O("c-1002", 60, OrderStatuses.Delivered, null, ("PRET-12-B500", 400), ("CEM-425-25", 200)),
            O("c-1001", 45, OrderStatuses.Delivered, null, ("CEM-325-25", 40), ("ZAP-M10-25", 20), ("BLOCZ-BK-24", 300)),
            O("c-1005", 30, OrderStatuses.Delivered, null, ("FOLIA-PAR-02", 10), ("WEL-MIN-15", 200)),
            O("c-1001", 20, OrderStatuses.Delivered, null, ("CEM-325-25", 60), ("PRET-12-B500", 50)),
            O("c-1002", 15, OrderStatuses.Delivered, null, ("BLOCZ-BK-24", 1200), ("ZAP-M10-25", 150)),
            O("c-1006", 10, OrderStatuses.Delivered, null, ("KOSTKA-HOL-6", 250)),
            O("c-1003", 90, OrderStatuses.Delivered, null, ("CEM-325-25", 20)),
            O("c-1001", 2, OrderStatuses.Shipped, 1, ("PUST-CER-25", 480), ("ZAP-M10-25", 40)),
            O("c-1002", 1, OrderStatuses.InPreparation, 2, ("PLYTA-GKB-125", 300), ("PROF-CW50", 600)),
            O("c-1001", 1, OrderStatuses.Confirmed, 3, ("STYRO-EPS-100", 12), ("KLEJ-C2TE-25", 30)),
            O("c-1005", 0, OrderStatuses.Confirmed, 4, ("WEL-MIN-15", 120), ("FOLIA-PAR-02", 4)),
        ];
    }

    public static IReadOnlyList<Complaint> Complaints(DateTimeOffset now, IReadOnlyList<Order> orders)
    {
        string NumberOf(string contactId, int index) => orders.Where(o => o.ContactId == contactId).OrderBy(o => o.CreatedAt).ElementAt(index).Number;
        DateTimeOffset Ago(int days) => now.AddDays(-days);
        var year = now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            new Complaint
            {
                Id = "r-42", Number = $"REK/{year}/0042", ContactId = "c-1001", OrderNumber = NumberOf("c-1001", 0), Status = "open",
                Subject = "Uszkodzona paleta bloczków BK 24 (12 szt. pękniętych)", OpenedAt = Ago(40), AssignedTo = "am_zielinski",
            },
            new Complaint
            {
                Id = "r-51", Number = $"REK/{year}/0051", ContactId = "c-1002", OrderNumber = NumberOf("c-1002", 0), Status = "closed",
                Subject = "Opóźniona dostawa prętów", OpenedAt = Ago(55), AssignedTo = "am_nowak",
            },
            new Complaint
            {
                Id = "r-57", Number = $"REK/{year}/0057", ContactId = "c-1005", OrderNumber = NumberOf("c-1005", 0), Status = "open",
                Subject = "Niezgodna ilość folii w dostawie", OpenedAt = Ago(25),
            },
        ];
    }

    public static IReadOnlyList<Promotion> Promotions(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.Date);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var nextMonthEnd = monthStart.AddMonths(2).AddDays(-1);
        return
        [
            new Promotion
            {
                Id = "pr-cem-paleta", Title = "Cement CEM II 32,5R 8% taniej przy zakupie palety",
                Description = "Rabat 8% na cement CEM II/B-S 32,5R przy zamówieniu min. 40 worków.",
                ProductCode = "CEM-325-25", DiscountPercent = 8, ValidFrom = monthStart, ValidTo = nextMonthEnd,
            },
            new Promotion
            {
                Id = "pr-klej-c2te", Title = "Klej C2TE w cenie 38,90 zł za worek",
                ProductCode = "KLEJ-C2TE-25", PromoPrice = 38.90m, ValidFrom = monthStart, ValidTo = nextMonthEnd,
            },
            new Promotion
            {
                Id = "pr-vip-eps", Title = "Styropian EPS 100 12% taniej dla klientów kluczowych",
                ProductCode = "STYRO-EPS-100", DiscountPercent = 12, ValidFrom = monthStart, ValidTo = nextMonthEnd, Segment = "vip",
            },
            new Promotion
            {
                Id = "pr-zima", Title = "Zimowa wyprzedaż wełny mineralnej",
                ProductCode = "WEL-MIN-15", DiscountPercent = 15, ValidFrom = monthStart.AddMonths(-3), ValidTo = monthStart.AddDays(-1),
            },
        ];
    }

    /// <summary>What is bought together: the source of recommendations.</summary>
    public static IReadOnlyDictionary<string, string[]> GoesWith { get; } = new Dictionary<string, string[]>
    {
        ["CEM-325-25"] = ["ZAP-M10-25", "PRET-12-B500"],
        ["CEM-425-25"] = ["PRET-12-B500", "ZAP-M10-25"],
        ["BLOCZ-BK-24"] = ["ZAP-M10-25", "TYNK-GIPS-30"],
        ["PUST-CER-25"] = ["ZAP-M10-25", "WEL-MIN-15"],
        ["STYRO-EPS-100"] = ["KLEJ-C2TE-25", "WEL-MIN-15"],
        ["WEL-MIN-15"] = ["FOLIA-PAR-02", "PROF-CW50"],
        ["PLYTA-GKB-125"] = ["PROF-CW50", "TYNK-GIPS-30"],
        ["PROF-CW50"] = ["PLYTA-GKB-125"],
        ["KOSTKA-HOL-6"] = ["CEM-325-25"],
        ["FOLIA-PAR-02"] = ["WEL-MIN-15"],
        ["PRET-12-B500"] = ["CEM-425-25"],
    };

    public static string OrderNumber(int year, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ZS/{year}/{sequence:D6}");

    public static OrderLine Line(Product product, decimal quantity) =>
        new(product.Code, product.Name, quantity, product.Unit, product.Price, Math.Round(product.Price * quantity, 2, MidpointRounding.AwayFromZero));

    private static Product P(string code, string name, string unit, decimal price, decimal stock) =>
        new() { Code = code, Name = name, Unit = unit, Price = price, Stock = stock };
}
