using System.Net;

namespace FunctionsIvr.ErpContractTests;

[Collection(ErpContractCollection.Name)]
public class CallsContractTests(ErpUnderTest erp)
{
    [Fact]
    public async Task CreateCall_StoresNumbersAsE164AndTheSameKeyFindsTheSameRecord()
    {
        var callId = "contract-" + Guid.NewGuid().ToString("N");
        var body = new { callId, fromNumber = erp.PhoneE164, dialledNumber = "+48221234567", startedAt = "2025-01-15T10:00:00+00:00", card = "Contract test call" };

        using var first = await erp.PostAsync("calls", body, "call-" + callId);
        using var second = await erp.PostAsync("calls", body, "call-" + callId);

        var record = await Shape.OkObjectAsync(first, HttpStatusCode.Created);
        Shape.String(record, "id");
        Assert.Equal(callId, Shape.String(record, "callId"));
        Assert.Equal(erp.PhoneE164, Shape.String(record, "fromNumber"));
        Assert.Equal("+48221234567", Shape.String(record, "dialledNumber"));
        Shape.DateTime(record, "startedAt");
        var again = await Shape.OkObjectAsync(second, HttpStatusCode.Created);
        Assert.Equal(Shape.String(record, "id"), Shape.String(again, "id"));
    }

    [Fact]
    public async Task UpdateCall_Outcome_IsKeptAndOtherFieldsStay()
    {
        var callId = "contract-" + Guid.NewGuid().ToString("N");
        using var created = await erp.PostAsync("calls",
            new { callId, fromNumber = erp.PhoneE164, dialledNumber = "+48221234567", card = "Opened" }, "call-" + callId);
        var id = Shape.String(await Shape.OkObjectAsync(created, HttpStatusCode.Created), "id");

        using var response = await erp.PatchAsync("calls/" + Uri.EscapeDataString(id),
            new { outcome = "transferred", transferredTo = "am_nowak", endedAt = "2025-01-15T10:03:00+00:00", card = "Transferred to the rep" });

        var record = await Shape.OkObjectAsync(response);
        Assert.Equal("transferred", Shape.String(record, "outcome"));
        Assert.Equal("am_nowak", Shape.String(record, "transferredTo"));
        Assert.Equal("Transferred to the rep", Shape.String(record, "card"));
        Shape.DateTime(record, "endedAt");
        Assert.Equal(callId, Shape.String(record, "callId"));
        Assert.Equal("+48221234567", Shape.String(record, "dialledNumber"));
    }

    [Fact]
    public async Task UpdateCall_UnknownId_Answers404Problem()
    {
        using var response = await erp.PatchAsync("calls/no-such-call-0000", new { outcome = "abandoned" });

        await Shape.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
