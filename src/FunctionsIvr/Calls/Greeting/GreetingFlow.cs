using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Greeting;

/// <summary>The start of every call: pick up if the panel leaves that to us, greet, and offer the main menu.</summary>
public sealed class GreetingFlow(IOptions<CallEngineOptions> options) : IFlowModule
{
    public const string Greeting = "greeting";
    public const string MainMenu = "menu";

    public void Define(FlowBuilder flow)
    {
        flow.UsesPrompts(Prompts.Welcome);

        flow.Step(CallFlow.StartStep)
            .Enter(ctx => options.Value.AnswerMode == AnswerMode.App ? ctx.Answer() : CallContext.Goto(Greeting))
            .Then(Greeting);

        flow.Step(Greeting)
            .Enter(ctx => ctx.Play(Prompts.Welcome))
            .Then(MainMenu);

        flow.Menu(MainMenu, Prompts.MainMenu, Prompts.MenuRetry)
            .On('0', Transfer.TransferFlow.ToAgent)
            .MaxTries(3, thenGoTo: Transfer.TransferFlow.ToAgent);
    }
}
