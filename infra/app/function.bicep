// The app: a Flex Consumption plan and one function app running the FunctionsIvr custom handler
// (functionAppConfig.runtime 'custom'). azd finds it by the azd-service-name tag and deploys the package to the
// blob container below. Every app setting is in the block marked "app settings", one name per line: the test
// tests/FunctionsIvr.Tests/Packaging/ConfigContractTests.cs checks each against docs/configuration.md.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param tableEndpoint string
param deploymentContainerName string
param serviceBusHostName string
param applicationInsightsConnectionString string
param keyVaultUri string
param whatsAppEnabled bool
param emailEnabled bool
param helpdeskEnabled bool
param erpBaseUrl string
@description('Entra ID scope of the ERP middleware; empty: not given to the app (API key only).')
param erpScope string = ''
@allowed(['Auto', 'App'])
param ivrAnswerMode string
@description('PBX object logins callers are transferred to; empty: the values in appsettings.json (placeholders).')
param transferAgentLogin string = ''
param transferTeamQueue string = ''
@description('Assignee of escalation tickets without a recipient; empty: not given to the app.')
param escalationTeamEmail string = ''
param whatsAppPhoneNumberId string = ''
param whatsAppTemplateName string = ''
param smtpHost string = ''
param smtpUserName string = ''
param smtpFrom string = ''
param helpdeskUrl string = ''
param instanceMemoryMB int
param maximumInstanceCount int
param alwaysReadyHttpInstances int
@description('Empty: no VNet integration.')
param appSubnetId string = ''

// Versionless references follow the latest version of each secret (picked up within 24 h, or on restart).
var secretUriBase = '${keyVaultUri}secrets/'

// app settings: begin
var settings = {
  // Functions host storage (keys, leases, timer locks) and Application Insights, with the app's identity.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // The handler's own Azure.Identity calls (Table Storage, Service Bus sends) use the same identity.
  AZURE_CLIENT_ID: identityClientId
  StateStorage__tableServiceUri: tableEndpoint
  StateStorage__clientId: identityClientId
  // The Service Bus triggers' `connection` (function.json) and the app's sends.
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusHostName
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  Erp__BaseUrl: erpBaseUrl
  Ivr__AnswerMode: ivrAnswerMode
  // Secrets: Key Vault references, resolved by the platform with the app's identity.
  Ivr__Hash: '@Microsoft.KeyVault(SecretUri=${secretUriBase}ivr-hash)'
  Ivr__SessionKey: '@Microsoft.KeyVault(SecretUri=${secretUriBase}ivr-session-key)'
  Agents__SigningKey: '@Microsoft.KeyVault(SecretUri=${secretUriBase}agents-signing-key)'
  Support__SigningKey: '@Microsoft.KeyVault(SecretUri=${secretUriBase}support-signing-key)'
  // The call log links in tickets, e-mails and WhatsApp messages must open from there: absolute, on this app.
  Escalations__PublicBaseUrl: 'https://${site.properties.defaultHostName}'
  Erp__ApiKey: '@Microsoft.KeyVault(SecretUri=${secretUriBase}erp-api-key)'
}
// Optional channels: given to the app only when configured, so the app can tell "off" from "secret missing".
var whatsAppSettings = whatsAppEnabled ? {
  Escalations__WhatsApp__AccessToken: '@Microsoft.KeyVault(SecretUri=${secretUriBase}whatsapp-token)'
  Escalations__WhatsApp__PhoneNumberId: whatsAppPhoneNumberId
  Escalations__WhatsApp__TemplateName: whatsAppTemplateName
} : {}
var emailSettings = emailEnabled ? {
  Escalations__Email__Password: '@Microsoft.KeyVault(SecretUri=${secretUriBase}smtp-password)'
  Escalations__Email__Host: smtpHost
  Escalations__Email__UserName: smtpUserName
  Escalations__Email__From: empty(smtpFrom) ? 'FunctionsIvr <ivr@functionsivr.local>' : smtpFrom
} : {}
// Every escalation creates a ticket; without these it goes to a local folder, which the read-only package cannot hold.
var helpdeskSettings = helpdeskEnabled ? {
  Escalations__Ticket__Url: helpdeskUrl
  Escalations__Ticket__Token: '@Microsoft.KeyVault(SecretUri=${secretUriBase}helpdesk-token)'
} : {}
var teamEmailSettings = empty(escalationTeamEmail) ? {} : {
  Escalations__TeamEmail: escalationTeamEmail
}
// An ERP middleware behind Entra ID: the app's identity (AZURE_CLIENT_ID) gets a token for this scope.
var erpScopeSettings = empty(erpScope) ? {} : {
  Erp__Scope: erpScope
}
// The shipped appsettings.json names placeholder logins; a real PBX has its own. Both are written when either is
// given, so one left empty stops start-up with a message naming it instead of leaving a placeholder in use.
var transferSettings = empty(transferAgentLogin) && empty(transferTeamQueue) ? {} : {
  Transfer__AgentLogin: transferAgentLogin
  Transfer__TeamQueue: transferTeamQueue
}
// app settings: end

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // All HTTP functions scale as one group, 'http'; the webhook must not wait for a cold start.
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      // A custom handler: the host starts host.json's defaultExecutablePath. No FUNCTIONS_WORKER_RUNTIME on Flex.
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(settings, whatsAppSettings, emailSettings, helpdeskSettings, teamEmailSettings, transferSettings, erpScopeSettings)
  }
}

output name string = site.name
output endpoint string = 'https://${site.properties.defaultHostName}'
