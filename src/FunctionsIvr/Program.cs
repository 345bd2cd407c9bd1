using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Service;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Functions;
using FunctionsIvr.Hosting;
using FunctionsIvr.Ivr;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.Work;

var builder = WebApplication.CreateBuilder(args);

builder.UseCustomHandlerPort();
builder.RunRequestsOnTheReadingThread();
builder.AddIvrProtocol();
builder.AddFaq();
builder.AddCallFlow();
builder.AddErpClient();
builder.AddCallState();
builder.AddWorkQueue();
builder.AddEscalations();
builder.AddCallRecords();
builder.AddOrders();
builder.AddFunctions();
builder.AddTelemetry();
builder.AddKeyVaultReferenceCheck();

var app = builder.Build();

app.MapFunctions();

app.Run();

public partial class Program;
