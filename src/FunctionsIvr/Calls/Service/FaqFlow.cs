using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Ivr;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Service;

/// <summary>
/// Answers to common questions (delivery times, payment terms, returns, opening hours), for guests too. The topics
/// come from <see cref="FaqOptions"/> through <see cref="IOptionsMonitor{TOptions}"/>, so an edit of <c>faq.json</c>
/// applies to the next call without a restart. The caller presses a topic key and hears its answer, then the FAQ menu
/// again; 9 goes back to the main (or guest) menu.
/// </summary>
/// <remarks>
/// Prompts are checked at startup, so the topics present then are declared there. A topic added or changed later is
/// checked when the next call needs it: its prompt number is read from the live <c>Prompts</c> configuration (which
/// <c>faq.json</c> may carry too), and a topic whose prompt has none is left out of the menu and logged.
/// </remarks>
public sealed partial class FaqFlow(IOptionsMonitor<FaqOptions> options, IConfiguration configuration, ILogger<FaqFlow> logger) : IFlowModule
{
    public const string DefaultMenuPrompt = "faq_menu";
    public const string Topic = Steps.Faq + "_topic";
    public const string Back = Steps.Faq + "_back";

    /// <summary>Session key: the topic key pressed.</summary>
    public const string TopicKey = "fq";

    public const char BackKey = '9';

    private FaqMenu? _menu;

    public void Define(FlowBuilder flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var startup = options.CurrentValue;
        flow.UsesPrompts(DefaultMenuPrompt, Prompts.MenuRetry);
        if (!string.IsNullOrWhiteSpace(startup.MenuPrompt)) flow.UsesPrompts(startup.MenuPrompt.Trim());
        foreach (var topic in startup.Topics.Where(t => !string.IsNullOrWhiteSpace(t.Prompt))) flow.UsesPrompts(topic.Prompt.Trim());

        flow.Step(Steps.Faq)
            .Enter(ctx => ctx.Tries > 0 ? ctx.Ask(Prompts.MenuRetry, maxDigits: 1)
                : Current().MenuPromptNumber is { } number ? CallContext.Reply(IvrAction.GetDtmf(number, 5000, 1))
                : ctx.Ask(DefaultMenuPrompt, maxDigits: 1))
            .Resume(Choose)
            .MaxTries(3, thenGoTo: Back);

        flow.Step(Topic)
            .Enter(ctx => Current().Topics.TryGetValue(ctx.Get(TopicKey) ?? "", out var number)
                ? CallContext.Reply(IvrAction.Play(number))
                : CallContext.Goto(Steps.Faq))
            .Then(Steps.Faq);

        flow.Step(Back)
            .Enter(ctx => CallContext.Goto(WelcomeFlow.MenuFor(ctx)))
            .Then(Steps.MainMenu);
    }

    private StepResult Choose(CallContext ctx)
    {
        var key = ctx.Digits;
        if (key is null) return CallContext.Retry("no key pressed");
        if (key == BackKey.ToString()) return CallContext.Goto(Back);
        if (!Current().Topics.ContainsKey(key)) return CallContext.Retry("key not in the FAQ");
        ctx.Set(TopicKey, key);
        return CallContext.Goto(Topic);
    }

    /// <summary>The menu for the current options, rebuilt (and its left-out topics logged) once per change.</summary>
    private FaqMenu Current()
    {
        var current = options.CurrentValue;
        var menu = _menu;
        if (menu is not null && ReferenceEquals(menu.Source, current)) return menu;

        menu = FaqMenu.Build(current, prompt => configuration[$"{PromptOptions.SectionName}:{prompt}"]);
        foreach (var reason in menu.Skipped) Log.TopicSkipped(logger, reason);
        Log.MenuLoaded(logger, menu.Topics.Count, menu.Skipped.Count);
        _menu = menu;
        return menu;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "FAQ menu loaded: {Topics} topics, {Skipped} left out")]
        public static partial void MenuLoaded(ILogger logger, int topics, int skipped);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "FAQ {Reason}; it is left out of the menu")]
        public static partial void TopicSkipped(ILogger logger, string reason);
    }
}
