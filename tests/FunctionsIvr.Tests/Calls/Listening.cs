using FunctionsIvr.Calls;
using FunctionsIvr.Ivr;

namespace FunctionsIvr.Tests.Calls;

/// <summary>What a caller hears, as short text ("Play 60", "SayDigits 1234", "GetDTMF 65"), and a way to listen on.</summary>
public static class Listening
{
    public static string Heard(IvrAction action) =>
        action.Parameters.Count == 0 ? action.Type : $"{action.Type} {action.Parameters[0].Value}";

    /// <summary>Answers every action as finished until the call asks for keys or ends; returns everything heard, <paramref name="first"/> included.</summary>
    public static async Task<List<string>> ListenUntilAskedAsync(this EngineHarness call, CallTurn first, int limit = 60)
    {
        var heard = new List<string> { Heard(first.Action) };
        var turn = first;
        while (turn.Action.Type is not (IvrActionTypes.GetDtmf or IvrActionTypes.Hangup or IvrActionTypes.CallByObjectLogin))
        {
            if (heard.Count >= limit) throw new InvalidOperationException("The call never asked for keys: " + string.Join(", ", heard));
            turn = await call.SendAsync(turn.Action.Type);
            heard.Add(Heard(turn.Action));
        }

        return heard;
    }

    /// <summary>Connected, the welcome played: the call waits in the main (or guest) menu.</summary>
    public static async Task AtMenuAsync(this EngineHarness call)
    {
        await call.SendAsync("Connected");
        await call.SendAsync("Play");
    }

    public static Task<CallTurn> PressAsync(this EngineHarness call, string keys) => call.SendAsync("GetDTMF", keys);
}
