// Out-of-band work (Work/QueueNames): ERP order commits, escalations, call records. Duplicate detection makes a
// re-sent message with the same MessageId (the business key) a no-op; after 10 failed deliveries a message goes
// to the dead-letter queue, which forwards it to 'dead-letters' where the HandleDeadLetters function turns it into
// an escalation (one trigger for every queue's dead letters). Local (SAS) auth is off.
param name string
param location string
param tags object
@allowed(['Standard', 'Premium'])
param sku string
@allowed(['Enabled', 'Disabled'])
param publicNetworkAccess string

param queueNames array = ['order-commits', 'escalations', 'call-records']

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: sku == 'Premium' ? { name: 'Premium', tier: 'Premium', capacity: 1 } : { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess
  }
}

param deadLetterQueueName string = 'dead-letters'

// Created first: the work queues forward their dead letters to it. Its own dead letters stay in its DLQ.
resource deadLetters 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: deadLetterQueueName
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: false
    defaultMessageTimeToLive: 'P14D'
    lockDuration: 'PT1M'
    requiresSession: false
    enablePartitioning: false
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [
  for queue in queueNames: {
    parent: namespace
    name: queue
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT10M'
      maxDeliveryCount: 10
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: 'P14D'
      // The host renews the lock while a function runs (host.json maxAutoLockRenewalDuration).
      lockDuration: 'PT1M'
      requiresSession: false
      enablePartitioning: false
      forwardDeadLetteredMessagesTo: deadLetters.name
    }
  }
]

output id string = namespace.id
output name string = namespace.name
output hostName string = '${namespace.name}.servicebus.windows.net'
