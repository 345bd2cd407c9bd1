// FunctionsIvr in Azure: one Flex Consumption function app (a custom handler) with a user-assigned identity,
// storage for the host and the call state, Service Bus for out-of-band work, Key Vault for secrets, Application
// Insights; optionally a virtual network with private endpoints and a site-to-site VPN to the customer's ERP.
// No shared keys or connection strings anywhere: every connection is Entra ID, granted in app/rbac.bicep.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user or service principal; gets the data roles azd and the docs need. Empty: none.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Base URL of the customer\'s ERP middleware (docs/erp-middleware.md), e.g. https://erp.example.com/ivr/.')
@minLength(1)
param erpBaseUrl string

@description('Entra ID scope of the ERP middleware (e.g. api://erp-middleware/.default): each call then carries a token of the app\'s identity. Empty: API key only.')
param erpScope string = ''

@description('Auto: the IVR object auto-answers (only documented callbacks follow). App: the app answers the call itself (Answer action; panel auto-answer off), relying on a callback after Answer that the platform does not document (docs/deploy.md, section 3).')
@allowed(['Auto', 'App'])
param ivrAnswerMode string = 'Auto'

@description('PBX object login of the first person callers are transferred to, and of the team queue (both or neither).')
param transferAgentLogin string = ''
param transferTeamQueue string = ''

// Escalation channels' non-secret settings (docs/escalations.md); the secrets are below.
param escalationTeamEmail string = ''
param whatsAppPhoneNumberId string = ''
param whatsAppTemplateName string = ''
param smtpHost string = ''
param smtpUserName string = ''
param smtpFrom string = ''
@description('Helpdesk endpoint for escalation tickets (docs/escalations.md), its bearer token the Key Vault secret helpdesk-token. Every escalation creates a ticket: without a helpdesk, escalations cannot be delivered in Azure.')
param helpdeskUrl string = ''

// Scale. 512 MB is plenty for the handler (about 70 MB resident); 40 is the smallest maximum Flex allows.
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 512
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40
@description('Always-ready instances for the HTTP group (the IVR webhook). 1 keeps cold starts out of calls; 0 saves the baseline cost.')
@minValue(0)
param alwaysReadyHttpInstances int = 1

// Secrets. Each one given here is written to Key Vault on provision; one left empty is not touched, so it can be
// set in the vault directly (docs/deploy.md). The app reads them through Key Vault references.
@secure()
@description('The Hash the IVR panel sends with every callback (shared secret).')
param ivrHash string = ''
@secure()
@description('Key that signs the Session the app hands to the platform (32 random bytes, base64).')
param ivrSessionKey string = ''
@secure()
@description('API key of the ERP middleware.')
param erpApiKey string = ''
@secure()
@description('Key that derives each agent\'s screen-pop page link (32 random bytes, base64).')
param agentsSigningKey string = ''
@secure()
@description('Key that signs the call log links in escalations (32 random bytes, base64).')
param supportSigningKey string = ''
@secure()
@description('WhatsApp Cloud API token for escalations. Empty: the setting is not given to the app.')
param whatsAppToken string = ''
@secure()
@description('SMTP password for escalation e-mails. Empty: the setting is not given to the app.')
param smtpPassword string = ''
@secure()
@description('Bearer token of the helpdesk endpoint (helpdeskUrl). Empty: the vault\'s helpdesk-token is left as it is.')
param helpdeskToken string = ''

// Network. With vnetEnabled the app reaches storage, Service Bus and Key Vault only through private endpoints
// (Service Bus then needs the Premium tier). The VPN gateway needs vnetEnabled.
param vnetEnabled bool = false
param vnetAddressPrefix string = '10.60.0.0/16'
param appSubnetPrefix string = '10.60.1.0/24'
param privateEndpointSubnetPrefix string = '10.60.2.0/24'
param gatewaySubnetPrefix string = '10.60.255.0/27'

param vpnGatewayEnabled bool = false
@description('Public IP address of the customer\'s VPN device.')
param onPremGatewayIpAddress string = ''
@description('Address ranges behind the customer\'s VPN device (where the ERP middleware is), e.g. ["192.168.10.0/24"].')
param onPremAddressPrefixes array = []
@secure()
@description('IPsec pre-shared key, agreed with the customer\'s network team.')
param vpnSharedKey string = ''
@description('Zone-redundant SKUs need a region with availability zones; use VpnGw1 elsewhere.')
param vpnGatewaySku string = 'VpnGw1AZ'

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}ivr-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
// The host keeps keys, leases and timer locks in blobs and diagnostic events in tables; nothing of ours uses
// storage queues (work goes through Service Bus), so no queue endpoint, role or private endpoint.
var useStorageQueues = false

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}ivr-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    // Private endpoints exist only on Premium.
    sku: vnetEnabled ? 'Premium' : 'Standard'
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    publicNetworkAccess: vnetEnabled ? 'Disabled' : 'Enabled'
    secrets: {
      'ivr-hash': ivrHash
      'ivr-session-key': ivrSessionKey
      'erp-api-key': erpApiKey
      'agents-signing-key': agentsSigningKey
      'support-signing-key': supportSigningKey
      'whatsapp-token': whatsAppToken
      'smtp-password': smtpPassword
      'helpdesk-token': helpdeskToken
    }
  }
}

module network 'app/network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: rg
  params: {
    name: '${abbrs.networkVirtualNetworks}${resourceToken}'
    location: location
    tags: tags
    addressPrefix: vnetAddressPrefix
    appSubnetPrefix: appSubnetPrefix
    privateEndpointSubnetPrefix: privateEndpointSubnetPrefix
    gatewaySubnetPrefix: vpnGatewayEnabled ? gatewaySubnetPrefix : ''
  }
}

module privateEndpoints 'app/private-endpoints.bicep' = if (vnetEnabled) {
  name: 'private-endpoints'
  scope: rg
  params: {
    location: location
    tags: tags
    virtualNetworkId: network!.outputs.id
    subnetId: network!.outputs.privateEndpointSubnetId
    storageAccountId: storage.outputs.id
    includeStorageQueue: useStorageQueues
    serviceBusNamespaceId: serviceBus.outputs.id
    keyVaultId: keyVault.outputs.id
  }
}

module vpn 'app/vpn.bicep' = if (vnetEnabled && vpnGatewayEnabled) {
  name: 'vpn'
  scope: rg
  params: {
    location: location
    tags: tags
    gatewayName: '${abbrs.networkVirtualNetworkGateways}${resourceToken}'
    publicIpName: '${abbrs.networkPublicIPAddresses}${abbrs.networkVirtualNetworkGateways}${resourceToken}'
    localGatewayName: '${abbrs.networkLocalNetworkGateways}erp-${resourceToken}'
    connectionName: '${abbrs.networkConnections}erp-${resourceToken}'
    gatewaySubnetId: network!.outputs.gatewaySubnetId
    sku: vpnGatewaySku
    onPremGatewayIpAddress: onPremGatewayIpAddress
    onPremAddressPrefixes: onPremAddressPrefixes
    sharedKey: vpnSharedKey
  }
}

module functionApp 'app/function.bicep' = {
  name: 'function'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    serviceBusHostName: serviceBus.outputs.hostName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultUri: keyVault.outputs.uri
    // A channel half-configured would stop the app at start-up (options validation): both parts, or it stays off.
    whatsAppEnabled: !empty(whatsAppToken) && !empty(whatsAppPhoneNumberId)
    emailEnabled: !empty(smtpPassword) && !empty(smtpHost)
    // Unlike the optional channels, the URL alone turns it on: the token may be set in the vault directly, and a
    // deployment without the helpdesk cannot deliver any escalation, so there is no "off" worth keeping.
    helpdeskEnabled: !empty(helpdeskUrl)
    erpBaseUrl: erpBaseUrl
    erpScope: erpScope
    ivrAnswerMode: ivrAnswerMode
    transferAgentLogin: transferAgentLogin
    transferTeamQueue: transferTeamQueue
    escalationTeamEmail: escalationTeamEmail
    whatsAppPhoneNumberId: whatsAppPhoneNumberId
    whatsAppTemplateName: whatsAppTemplateName
    smtpHost: smtpHost
    smtpUserName: smtpUserName
    smtpFrom: smtpFrom
    helpdeskUrl: helpdeskUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    appSubnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
  }
  // Key Vault references and identity connections resolve at start-up: grant the roles first, and with the VNet the
  // private endpoints must exist (public access is off then).
  dependsOn: [rbac, privateEndpoints]
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
    storageAccountName: storage.outputs.name
    useStorageQueues: useStorageQueues
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

// Read by azd (and by docs/deploy.md's commands).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_ENDPOINT string = functionApp.outputs.endpoint
output IVR_WEBHOOK_URL string = '${functionApp.outputs.endpoint}/api/ivr'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output AZURE_STORAGE_ACCOUNT string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output VPN_GATEWAY_PUBLIC_IP string = vnetEnabled && vpnGatewayEnabled ? vpn!.outputs.publicIpAddress : ''
